// SPDX-License-Identifier: Apache-2.0
import HanonConfig
import Testing

/// Invalid TOML 1.0 documents (from the spec's "INVALID" examples and toml-test's invalid cases),
/// each with the expected `LINE:COLUMN: message`.
@Suite struct TOMLInvalidTests {
    static let cases: [(String, String)] = [
        // Keys
        ("= \"no key name\"", "1:1: expected a key, found '='"),
        ("key = # INVALID", "1:7: expected a value, found '#'"),
        ("first = \"Tom\" last = \"Preston-Werner\"", "1:15: expected a newline after the value, found 'l'"),
        ("key", "1:4: expected '=' after the key, found end of file"),
        ("key\n= 1", "1:4: expected '=' after the key, found end of line"),
        ("a.b = 1\na..c = 2", "2:3: expected a key, found '.'"),
        ("\"\"\"key\"\"\" = 1", "1:1: a key cannot be a multi-line string"),
        ("ke y = 1", "1:4: expected '=' after the key, found 'y'"),
        ("name = \"Tom\"\nname = \"Pradyun\"", "2:1: duplicate key 'name' (first defined at 1:1 as a string)"),
        (
            "spelling = \"favorite\"\n\"spelling\" = \"favourite\"",
            "2:1: duplicate key 'spelling' (first defined at 1:1 as a string)"
        ),
        (
            "fruit.apple = 1\nfruit.apple.smooth = true",
            "2:7: key 'fruit.apple' is already defined as a integer at 1:7; it cannot be extended"
        ),
        ("a.b = 1\na = 2", "2:1: duplicate key 'a' (first defined at 1:1 as a table)"),
        ("a = {b = 1}\na.c = 2", "2:1: key 'a' is already defined as an inline table at 1:1; it cannot be extended"),
        // Strings
        ("s = \"unterminated", "1:5: unterminated string"),
        ("s = \"line\nbreak\"", "1:5: unterminated string (use \"\"\" for a string with newlines)"),
        ("s = 'unterminated", "1:5: unterminated literal string"),
        ("s = \"\"\"never closed\n", "1:5: unterminated multi-line string"),
        ("s = '''never closed", "1:5: unterminated multi-line literal string"),
        ("s = \"bad \\x escape\"", "1:10: invalid escape sequence: '\\' followed by 'x'"),
        ("s = \"bad \\e escape\"", "1:10: invalid escape sequence: '\\' followed by 'e'"),
        ("s = \"bad \\ space\"", "1:10: invalid escape sequence: '\\' followed by ' '"),
        ("s = \"\\u00G0\"", "1:6: \\u must be followed by 4 hexadecimal digits"),
        ("s = \"\\u12\"", "1:6: \\u must be followed by 4 hexadecimal digits"),
        ("s = \"\\U0000123\"", "1:6: \\U must be followed by 8 hexadecimal digits"),
        ("s = \"\\uD800\"", "1:6: \\uD800 is not a Unicode scalar value"),
        ("s = \"\\U00110000\"", "1:6: \\U00110000 is not a Unicode scalar value"),
        ("s = \"nul\u{0}\"", "1:9: control character U+0000 must be escaped in a string"),
        ("s = \"del\u{7F}\"", "1:9: control character U+007F must be escaped in a string"),
        ("s = 'bell\u{7}'", "1:10: control character U+0007 is not allowed in a literal string"),
        ("s = \"\"\"a\u{1B}b\"\"\"", "1:9: control character U+001B must be escaped in a string"),
        ("s = \"\"\"six quotes\"\"\"\"\"\"", "1:23: too many quotes at the end of a multi-line string"),
        ("s = '''six quotes''''''", "1:23: too many quotes at the end of a multi-line string"),
        ("s = \"\"\"\na\\z\"\"\"", "2:2: invalid escape sequence: '\\' followed by 'z'"),
        // Comments and newlines
        ("a = 1 # bell \u{7} in comment", "1:14: control character U+0007 is not allowed in a comment"),
        ("a = 1\rb = 2", "1:6: a carriage return must be followed by a line feed"),
        // Integers
        ("a = 012", "1:5: invalid number '012': leading zeros are not allowed"),
        ("a = +01", "1:5: invalid number '+01': leading zeros are not allowed"),
        ("a = 1__000", "1:5: invalid number '1__000'"),
        ("a = _1000", "1:5: expected a value, found '_1000' (strings must be quoted)"),
        ("a = 1000_", "1:5: invalid number '1000_'"),
        ("a = 0x_1", "1:5: invalid number '0x_1'"),
        ("a = +0x1", "1:5: invalid number '+0x1'"),
        ("a = 0xG", "1:5: invalid number '0xG'"),
        ("a = 0o8", "1:5: invalid number '0o8'"),
        ("a = 0b2", "1:5: invalid number '0b2'"),
        ("a = 0X1F", "1:5: invalid number '0X1F'"),
        ("a = 9223372036854775808", "1:5: invalid number '9223372036854775808': out of the 64-bit integer range"),
        ("a = 0x8000000000000000", "1:5: invalid number '0x8000000000000000': out of the 64-bit integer range"),
        ("a = 1 2", "1:7: expected a newline after the value, found '2'"),
        // Floats
        ("a = .7", "1:5: expected a value, found '.7' (strings must be quoted)"),
        ("a = 7.", "1:5: invalid number '7.': digits must follow the '.'"),
        ("a = 3.e+20", "1:5: invalid number '3.e+20': digits must follow the '.'"),
        ("a = 1e", "1:5: invalid number '1e': bad exponent"),
        ("a = 1.5e_3", "1:5: invalid number '1.5e_3': bad exponent"),
        ("a = 01.5", "1:5: invalid number '01.5': leading zeros are not allowed"),
        ("a = 1.2.3", "1:5: invalid number '1.2.3'"),
        ("a = 1e400", "1:5: invalid number '1e400': out of the float range"),
        ("a = infinity", "1:5: expected a value, found 'infinity' (strings must be quoted)"),
        ("a = NaN", "1:5: expected a value, found 'NaN' (strings must be quoted)"),
        // Booleans and bare words
        ("a = True", "1:5: expected a value, found 'True' (strings must be quoted)"),
        ("a = truee", "1:5: expected a value, found 'truee' (strings must be quoted)"),
        ("name = example.org", "1:8: expected a value, found 'example.org' (strings must be quoted)"),
        // Dates
        ("d = 1979-13-27", "1:5: invalid date-time '1979-13-27': month 13 is not 1 to 12"),
        ("d = 2021-02-29", "1:5: invalid date-time '2021-02-29': day 29 is not 1 to 28"),
        ("d = 1979-05-27T24:00:00Z", "1:5: invalid date-time '1979-05-27T24:00:00Z': hour 24 is not 0 to 23"),
        ("d = 07:60:00", "1:5: invalid date-time '07:60:00': minute 60 is not 0 to 59"),
        (
            "d = 1979-05-27T07:32Z",
            "1:5: invalid date-time '1979-05-27T07:32Z'; expected a form like 1979-05-27T07:32:00Z, 1979-05-27 or 07:32:00"
        ),
        (
            "d = 1979-5-27",
            "1:5: invalid date-time '1979-5-27'; expected a form like 1979-05-27T07:32:00Z, 1979-05-27 or 07:32:00"
        ),
        (
            "d = 1979-05-27T07:32:00.",
            "1:5: invalid date-time '1979-05-27T07:32:00.'; expected a form like 1979-05-27T07:32:00Z, 1979-05-27 or 07:32:00"
        ),
        (
            "d = 07:32:00Z",
            "1:5: invalid date-time '07:32:00Z'; expected a form like 1979-05-27T07:32:00Z, 1979-05-27 or 07:32:00"
        ),
        (
            "d = 1979-05-27T07:32:00+7:00",
            "1:5: invalid date-time '1979-05-27T07:32:00+7:00'; expected a form like 1979-05-27T07:32:00Z, 1979-05-27 or 07:32:00"
        ),
        ("d = 1979-05-27 07:32:00 x", "1:25: expected a newline after the value, found 'x'"),
        // Arrays
        ("a = [1, 2", "1:10: expected ',' or ']' in the array, found end of file"),
        ("a = [1 2]", "1:8: expected ',' or ']' in the array, found '2'"),
        ("a = [,]", "1:6: expected a value, found ','"),
        ("a = [1,,2]", "1:8: expected a value, found ','"),
        // Inline tables
        ("a = { b = 1, }", "1:14: a trailing comma is not allowed in an inline table"),
        ("a = { b = 1\n}", "1:12: an inline table must be on one line; expected ',' or '}', found end of line"),
        ("a = {\nb = 1 }", "1:6: expected a key, found end of line"),
        ("a = { b = 1 c = 2 }", "1:13: expected ',' or '}' in the inline table, found 'c'"),
        ("a = { b = 1, b = 2 }", "1:14: duplicate key 'b' (first defined at 1:7 as a integer)"),
        ("a = { b.c = 1, b = 2 }", "1:16: duplicate key 'b' (first defined at 1:7 as a table)"),
        (
            "[product]\ntype = { name = \"Nail\" }\ntype.edible = false",
            "3:1: key 'product.type' is already defined as an inline table at 2:1; it cannot be extended"
        ),
        (
            "[product]\ntype.name = \"Nail\"\ntype = { edible = false }",
            "3:1: duplicate key 'product.type' (first defined at 2:1 as a table)"
        ),
        ("a = {b = 1}\n[a.c]", "2:2: key 'a' is already defined as an inline table at 1:1; it cannot be extended"),
        // Tables
        ("[a]\nb = 1\n[a]\nc = 2", "3:2: table 'a' is already defined at 1:2"),
        (
            "[a]\nb = 1\n[a.b]",
            "3:4: key 'a.b' is already defined as a integer at 2:1; it cannot be redefined as a table"
        ),
        (
            "[fruit]\napple.color = \"red\"\n[fruit.apple]",
            "3:8: table 'fruit.apple' is already defined by dotted keys at 2:1"
        ),
        (
            "[fruit]\napple.taste.sweet = true\n[fruit.apple.taste]",
            "3:14: table 'fruit.apple.taste' is already defined by dotted keys at 2:7"
        ),
        ("[a.b.c]\nz = 9\n[a]\nb.c.t = 1", "4:3: dotted keys cannot add to table 'a.b.c' defined by a header at 1:6"),
        ("[a.b.c.d]\n[a]\nb.c.d.k = 1", "3:5: dotted keys cannot add to table 'a.b.c.d' defined by a header at 1:8"),
        ("[a.b.c]\n[a]\nb.x = 1\n[a.b]", "4:4: table 'a.b' is already defined by dotted keys at 1:4"),
        ("[]", "1:2: expected a key, found ']'"),
        ("[a", "1:3: expected ']' to close the table header, found end of file"),
        ("[a.]", "1:4: expected a key, found ']'"),
        ("[a b]", "1:4: expected ']' to close the table header, found 'b'"),
        ("[a]b = 1", "1:4: expected a newline after the value, found 'b'"),
        ("[[a]\n", "1:5: expected ']]' to close the array of tables header"),
        ("[ [a]]", "1:3: expected a key, found '['"),
        ("a = 1\n[a]", "2:2: key 'a' is already defined as a integer at 1:1; it cannot be redefined as a table"),
        // Arrays of tables
        (
            "fruits = []\n[[fruits]]",
            "2:3: cannot append to static array 'fruits' defined at 1:1; [[fruits]] needs an array of tables"
        ),
        (
            "[[fruits]]\nname = \"apple\"\n[fruits]",
            "3:2: key 'fruits' is already defined as an array of tables at 1:3; it cannot be redefined as a table"
        ),
        (
            "[fruit.physical]\ncolor = \"red\"\n[[fruit]]",
            "3:3: key 'fruit' is already defined as a table at 1:2; it cannot be an array of tables"
        ),
        (
            "[[fruits]]\n[fruits.varieties]\n[[fruits.varieties]]",
            "3:10: key 'fruits.varieties' is already defined as a table at 2:9; it cannot be an array of tables"
        ),
        (
            "[[a.b]]\n[a]\nb.y = 2",
            "3:1: key 'a.b' is already defined as an array of tables at 1:5; it cannot be extended"
        ),
        ("[[a]]\nb = 1\n[[a]]\nb = 1\nb = 2", "5:1: duplicate key 'a.b' (first defined at 4:1 as a integer)"),
    ]

    @Test(arguments: cases)
    func invalid(_ input: String, _ expected: String) {
        #expect(parseOutcome(input) == "error " + expected, "\(input)")
    }

    @Test func errorIsPrintedAsFileLineColumn() {
        #expect(
            throws: TOMLError(
                "duplicate key 'a' (first defined at 1:1 as a integer)",
                at: SourceLocation(file: "my.toml", line: 2, column: 1)
            )
        ) {
            try TOMLParser.parse("a = 1\na = 2", file: "my.toml")
        }
        do {
            _ = try TOMLParser.parse("a = 1\n\n  b = @", file: "my.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "my.toml:3:7: expected a value, found '@'")
        }
    }

    @Test func invalidUTF8Position() {
        do {
            _ = try TOMLParser.parse(bytes: Array("a = 1\nb = \"x".utf8) + [0xFF, 0x22], file: "u.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "u.toml:2:7: invalid UTF-8 (byte 0xFF)")
        }
    }
}
