// SPDX-License-Identifier: Apache-2.0
import HanonConfig
import Testing

/// Valid TOML 1.0 documents, mostly the examples of https://toml.io/en/v1.0.0, with the parsed
/// result in the compact form of `dump`.
@Suite struct TOMLValidTests {
    static let cases: [(String, String)] = [
        // Comments, whitespace, newlines
        ("", "{}"),
        ("# only a comment\n\n   \t\n", "{}"),
        ("key = \"value\" # comment\r\nother = 1\r\n", "{key = \"value\", other = 1}"),
        ("\u{FEFF}a = 1", "{a = 1}"),
        ("a = 1 #\ttab and ünïcode in a comment", "{a = 1}"),
        // Keys
        ("bare_key = 1\nbare-key = 2\n1234 = 3", "{bare_key = 1, bare-key = 2, 1234 = 3}"),
        (
            "\"127.0.0.1\" = \"v\"\n\"character encoding\" = \"v\"\n'quoted \"value\"' = \"v\"",
            "{\"127.0.0.1\" = \"v\", \"character encoding\" = \"v\", \"quoted \\\"value\\\"\" = \"v\"}"
        ),
        ("\"ʎǝʞ\" = \"v\"", "{\"ʎǝʞ\" = \"v\"}"),
        ("\"\" = \"blank\"", "{\"\" = \"blank\"}"),
        ("'' = 'blank'", "{\"\" = \"blank\"}"),
        (
            "physical.color = \"orange\"\nphysical.shape = \"round\"\nsite.\"google.com\" = true",
            "{physical = {color = \"orange\", shape = \"round\"}, site = {\"google.com\" = true}}"
        ),
        (
            "fruit.name = \"banana\"\nfruit. color = \"yellow\"\nfruit . flavor = \"banana\"",
            "{fruit = {name = \"banana\", color = \"yellow\", flavor = \"banana\"}}"
        ),
        ("3.14159 = \"pi\"", "{3 = {14159 = \"pi\"}}"),
        (
            "apple.type = \"fruit\"\norange.type = \"fruit\"\napple.skin = \"thin\"",
            "{apple = {type = \"fruit\", skin = \"thin\"}, orange = {type = \"fruit\"}}"
        ),
        ("a.\"b.c\".'d' = 1", "{a = {\"b.c\" = {d = 1}}}"),
        ("true = 1\nfalse = 2\ninf = 3", "{true = 1, false = 2, inf = 3}"),
        // Basic strings and escapes
        (
            "s = \"I'm a string. \\\"You can quote me\\\". Name\\tJos\\u00E9\\nLocation\\tSF.\"",
            "{s = \"I'm a string. \\\"You can quote me\\\". Name\\tJosé\\nLocation\\tSF.\"}"
        ),
        ("s = \"\\b\\f\\r\\\\\"", "{s = \"\\u0008\\u000C\\u000D\\\\\"}"),
        ("s = \"\\U0001F600 \\u20AC \\U0000004A\"", "{s = \"😀 € J\"}"),
        ("s = \"tab\there\"", "{s = \"tab\\there\"}"),
        ("s = \"\"", "{s = \"\"}"),
        // Multi-line basic strings
        ("s = \"\"\"\nRoses are red\nViolets are blue\"\"\"", "{s = \"Roses are red\\nViolets are blue\"}"),
        ("s = \"\"\"\r\none\r\ntwo\"\"\"", "{s = \"one\\ntwo\"}"),
        (
            "s = \"\"\"\nThe quick brown \\\n\n\n  fox jumps over \\\n    the lazy dog.\"\"\"",
            "{s = \"The quick brown fox jumps over the lazy dog.\"}"
        ),
        ("s = \"\"\"\\\n       The quick brown \\\n       fox.\\\n       \"\"\"", "{s = \"The quick brown fox.\"}"),
        (
            "s = \"\"\"trailing backslash then spaces \\   \n  next\"\"\"",
            "{s = \"trailing backslash then spaces next\"}"
        ),
        (
            "s = \"\"\"Here are two quotation marks: \"\". Simple enough.\"\"\"",
            "{s = \"Here are two quotation marks: \\\"\\\". Simple enough.\"}"
        ),
        (
            "s = \"\"\"Here are three quotation marks: \"\"\\\".\"\"\"",
            "{s = \"Here are three quotation marks: \\\"\\\"\\\".\"}"
        ),
        (
            "s = \"\"\"\"This,\" she said, \"is just a pointless statement.\"\"\"\"",
            "{s = \"\\\"This,\\\" she said, \\\"is just a pointless statement.\\\"\"}"
        ),
        ("s = \"\"\"two quotes at the end\"\"\"\"\"", "{s = \"two quotes at the end\\\"\\\"\"}"),
        ("s = \"\"\"\"\"\"", "{s = \"\"}"),
        ("s = \"\"\"a\\tb\\u00e9\"\"\"", "{s = \"a\\tbé\"}"),
        // Literal strings
        (
            "winpath = 'C:\\Users\\nodejs\\templates'\nregex = '<\\i\\c*\\s*>'",
            "{winpath = \"C:\\\\Users\\\\nodejs\\\\templates\", regex = \"<\\\\i\\\\c*\\\\s*>\"}"
        ),
        ("quoted = 'Tom \"Dubs\" Preston-Werner'", "{quoted = \"Tom \\\"Dubs\\\" Preston-Werner\"}"),
        ("re = '''I [dw]on't need \\d{2} apples'''", "{re = \"I [dw]on't need \\\\d{2} apples\"}"),
        (
            "lines = '''\nThe first newline is\ntrimmed in raw strings.\n'''",
            "{lines = \"The first newline is\\ntrimmed in raw strings.\\n\"}"
        ),
        (
            "s = ''''That,' she said, 'is still pointless.''''",
            "{s = \"'That,' she said, 'is still pointless.'\"}"
        ),
        ("s = '''a\tb'''", "{s = \"a\\tb\"}"),
        // Integers
        ("a = +99\nb = 42\nc = 0\nd = -17\ne = -0\nf = +0", "{a = 99, b = 42, c = 0, d = -17, e = 0, f = 0}"),
        ("a = 1_000\nb = 5_349_221\nc = 53_49_221\nd = 1_2_3_4_5", "{a = 1000, b = 5349221, c = 5349221, d = 12345}"),
        (
            "h = 0xDEADBEEF\ni = 0xdeadbeef\nj = 0xdead_beef\no = 0o01234567\np = 0o755\nb = 0b11010110",
            "{h = 3735928559, i = 3735928559, j = 3735928559, o = 342391, p = 493, b = 214}"
        ),
        (
            "max = 9223372036854775807\nmin = -9223372036854775808\nhmax = 0x7FFFFFFFFFFFFFFF",
            "{max = 9223372036854775807, min = -9223372036854775808, hmax = 9223372036854775807}"
        ),
        ("z = 0x0\nzz = 0x00\nb = 0b0", "{z = 0, zz = 0, b = 0}"),
        // Floats
        ("a = +1.0\nb = 3.1415\nc = -0.01", "{a = 1.0, b = 3.1415, c = -0.01}"),
        ("a = 5e+22\nb = 1e06\nc = -2E-2", "{a = 5e+22, b = 1000000.0, c = -0.02}"),
        ("a = 6.626e-34\nb = 224_617.445_991_228", "{a = 6.626e-34, b = 224617.445991228}"),
        ("a = 0.0\nb = -0.0\nc = +0.0\nd = 0e0\ne = 1e1_0", "{a = 0.0, b = -0.0, c = 0.0, d = 0.0, e = 10000000000.0}"),
        (
            "a = inf\nb = +inf\nc = -inf\nd = nan\ne = +nan\nf = -nan",
            "{a = inf, b = inf, c = -inf, d = nan, e = nan, f = nan}"
        ),
        // Booleans
        ("t = true\nf = false", "{t = true, f = false}"),
        // Dates and times
        (
            "odt1 = 1979-05-27T07:32:00Z\nodt2 = 1979-05-27T00:32:00-07:00\nodt3 = 1979-05-27T00:32:00.999999-07:00",
            "{odt1 = 1979-05-27T07:32:00Z, odt2 = 1979-05-27T00:32:00-07:00, odt3 = 1979-05-27T00:32:00.999999-07:00}"
        ),
        (
            "odt4 = 1979-05-27 07:32:00Z\nlower = 1979-05-27t07:32:00z\nplus = 1979-05-27T07:32:00+05:30",
            "{odt4 = 1979-05-27T07:32:00Z, lower = 1979-05-27T07:32:00Z, plus = 1979-05-27T07:32:00+05:30}"
        ),
        (
            "ldt1 = 1979-05-27T07:32:00\nldt2 = 1979-05-27T00:32:00.999999",
            "{ldt1 = 1979-05-27T07:32:00, ldt2 = 1979-05-27T00:32:00.999999}"
        ),
        (
            "ld1 = 1979-05-27\nlt1 = 07:32:00\nlt2 = 00:32:00.999999",
            "{ld1 = 1979-05-27, lt1 = 07:32:00, lt2 = 00:32:00.999999}"
        ),
        ("leap = 2000-02-29\nleapsec = 1990-12-31T23:59:60Z", "{leap = 2000-02-29, leapsec = 1990-12-31T23:59:60Z}"),
        ("ns = 1979-05-27T00:32:00.1234567891Z", "{ns = 1979-05-27T00:32:00.123456789Z}"),
        ("d = [1979-05-27, 07:32:00]", "{d = [1979-05-27, 07:32:00]}"),
        // Arrays
        (
            "integers = [ 1, 2, 3 ]\ncolors = [ \"red\", \"yellow\", \"green\" ]",
            "{integers = [1, 2, 3], colors = [\"red\", \"yellow\", \"green\"]}"
        ),
        (
            "nested = [ [ 1, 2 ], [3, 4, 5] ]\nmixed = [ [ 1, 2 ], [\"a\", \"b\", \"c\"] ]",
            "{nested = [[1, 2], [3, 4, 5]], mixed = [[1, 2], [\"a\", \"b\", \"c\"]]}"
        ),
        ("numbers = [ 0.1, 0.2, 0.5, 1, 2, 5 ]", "{numbers = [0.1, 0.2, 0.5, 1, 2, 5]}"),
        (
            "contributors = [\n  \"Foo Bar <foo@example.com>\",\n  { name = \"Baz Qux\", url = \"https://example.com/bazqux\" }\n]",
            "{contributors = [\"Foo Bar <foo@example.com>\", {name = \"Baz Qux\", url = \"https://example.com/bazqux\"}]}"
        ),
        ("a = [\n  1,\n  2, # a comment\n]", "{a = [1, 2]}"),
        ("a = []\nb = [ ]\nc = [\n]\nd = [[]]", "{a = [], b = [], c = [], d = [[]]}"),
        ("a = [ # comment\n # another\n 1 # after\n , 2 ]", "{a = [1, 2]}"),
        // Tables
        ("[table]", "{table = {}}"),
        (
            "[table-1]\nkey1 = \"some string\"\nkey2 = 123\n\n[table-2]\nkey1 = \"another string\"\nkey2 = 456",
            "{table-1 = {key1 = \"some string\", key2 = 123}, table-2 = {key1 = \"another string\", key2 = 456}}"
        ),
        ("[dog.\"tater.man\"]\ntype.name = \"pug\"", "{dog = {\"tater.man\" = {type = {name = \"pug\"}}}}"),
        (
            "[a.b.c]\n[ d.e.f ]\n[ g .  h  . i ]\n[ j . \"ʞ\" . 'l' ]",
            "{a = {b = {c = {}}}, d = {e = {f = {}}}, g = {h = {i = {}}}, j = {\"ʞ\" = {l = {}}}}"
        ),
        ("[x.y.z.w]\n[x]", "{x = {y = {z = {w = {}}}}}"),
        (
            "[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true",
            "{fruit = {apple = {color = \"red\", taste = {sweet = true}, texture = {smooth = true}}}}"
        ),
        ("[a.b]\nc = 1\n[a]\nd = 2", "{a = {b = {c = 1}, d = 2}}"),
        ("[a.b.c.d]\n[a]\nb.x.y = 1", "{a = {b = {c = {d = {}}, x = {y = 1}}}}"),
        ("top = 1\n[t]\nk = 2", "{top = 1, t = {k = 2}}"),
        // Inline tables
        (
            "name = { first = \"Tom\", last = \"Preston-Werner\" }\npoint = { x = 1, y = 2 }\nanimal = { type.name = \"pug\" }",
            "{name = {first = \"Tom\", last = \"Preston-Werner\"}, point = {x = 1, y = 2}, animal = {type = {name = \"pug\"}}}"
        ),
        ("e = {}\nn = { a = { b = [ { c = 1 } ] } }", "{e = {}, n = {a = {b = [{c = 1}]}}}"),
        ("[product]\ntype = { name = \"Nail\" }", "{product = {type = {name = \"Nail\"}}}"),
        // Arrays of tables
        (
            "[[products]]\nname = \"Hammer\"\nsku = 738594937\n\n[[products]]  # empty table within the array\n\n[[products]]\nname = \"Nail\"\nsku = 284758393\ncolor = \"gray\"",
            "{products = [{name = \"Hammer\", sku = 738594937}, {}, {name = \"Nail\", sku = 284758393, color = \"gray\"}]}"
        ),
        (
            "[[fruits]]\nname = \"apple\"\n[fruits.physical]\ncolor = \"red\"\n[[fruits.varieties]]\nname = \"red delicious\"\n[[fruits.varieties]]\nname = \"granny smith\"\n[[fruits]]\nname = \"banana\"\n[[fruits.varieties]]\nname = \"plantain\"",
            "{fruits = [{name = \"apple\", physical = {color = \"red\"}, varieties = [{name = \"red delicious\"}, {name = \"granny smith\"}]}, {name = \"banana\", varieties = [{name = \"plantain\"}]}]}"
        ),
        (
            "points = [ { x = 1, y = 2, z = 3 },\n           { x = 7, y = 8, z = 9 } ]",
            "{points = [{x = 1, y = 2, z = 3}, {x = 7, y = 8, z = 9}]}"
        ),
        ("[[a]]\nb.c = 1\n[[a]]\nb.c = 2", "{a = [{b = {c = 1}}, {b = {c = 2}}]}"),
    ]

    @Test(arguments: cases)
    func valid(_ input: String, _ expected: String) {
        #expect(parseOutcome(input) == expected, "\(input)")
    }

    @Test func nanIsNaN() throws {
        let t = try TOMLParser.parse("a = nan\nb = -nan", file: "t.toml")
        #expect(t["a"]?.float?.isNaN == true)
        #expect(t["b"]?.float?.isNaN == true)
    }

    @Test func positionsOfKeysAndValues() throws {
        let text = """
            # header comment
            title = "x"
            [server]
              port = 53  # comment
            [[zone]]
            name = "a"
            [[zone]]
            name = { "é" = 1, k = [ "s", 2 ] }
            """
        let t = try TOMLParser.parse(text, file: "conf.toml")
        let title = try #require(t.entry("title"))
        #expect(title.key.location == SourceLocation(file: "conf.toml", line: 2, column: 1))
        #expect(title.value.location.description == "conf.toml:2:9")
        let server = try #require(t.entry("server"))
        #expect(server.key.location.description == "conf.toml:3:2")
        let port = try #require(server.value.table?.entry("port"))
        #expect(port.key.location.description == "conf.toml:4:3")
        #expect(port.value.location.description == "conf.toml:4:10")
        let zones = try #require(t["zone"]?.array)
        #expect(t["zone"]?.location.description == "conf.toml:5:3")
        #expect(zones.map(\.location.description) == ["conf.toml:5:3", "conf.toml:7:3"])
        let inline = try #require(zones[1].table?.entry("name"))
        #expect(inline.value.location.description == "conf.toml:8:8")
        let inner = try #require(inline.value.table)
        // Columns count Unicode scalars: "é" is one column.
        #expect(inner.entry("é")?.value.location.description == "conf.toml:8:16")
        #expect(inner.entry("k")?.key.location.description == "conf.toml:8:19")
        #expect(inner["k"]?.array?.map(\.location.column) == [25, 30])
    }

    @Test func positionsAfterMultilineString() throws {
        let t = try TOMLParser.parse("a = \"\"\"\none\ntwo\"\"\"\nb = 1", file: "f")
        #expect(t.entry("b")?.key.location.description == "f:4:1")
    }

    @Test func invalidUTF8Bytes() {
        #expect(throws: TOMLError.self) {
            try TOMLParser.parse(bytes: [0x61, 0x3D, 0x22, 0xC3, 0x28, 0x22], file: "f")
        }
        #expect(throws: TOMLError.self) {
            try TOMLParser.parse(bytes: Array("a = \"".utf8) + [0xED, 0xA0, 0x80, 0x22], file: "f")
        }
        #expect(throws: TOMLError.self) {
            try TOMLParser.parse(bytes: Array("a = \"".utf8) + [0xC0, 0xAF, 0x22], file: "f")
        }
    }

    @Test func longLineIsFast() throws {
        let line = "a = [" + Array(repeating: "1", count: 20_000).joined(separator: ",") + "]\nb = [1, x]"
        let clock = ContinuousClock()
        let start = clock.now
        #expect(parseOutcome(line) == "error 2:9: expected a value, found 'x' (strings must be quoted)")
        #expect(clock.now - start < .seconds(20))
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = "a = " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(parseOutcome(deep).hasPrefix("error 1:"))
        let fine = "a = " + String(repeating: "[", count: 50) + String(repeating: "]", count: 50)
        #expect(!parseOutcome(fine).hasPrefix("error"))
        let longHeader = "[" + Array(repeating: "a", count: 100_000).joined(separator: ".") + "]"
        #expect(parseOutcome(longHeader) == "error 1:2: the table header has more than 100 parts")
        let longKey = Array(repeating: "a", count: 100_000).joined(separator: ".") + " = 1"
        #expect(parseOutcome(longKey) == "error 1:1: keys and values are nested more than 100 deep")
        let mixed =
            "[" + Array(repeating: "h", count: 60).joined(separator: ".") + "]\n"
            + Array(repeating: "k", count: 40).joined(separator: ".") + " = { x.y.z = [[{ w = 1 }]] }"
        #expect(parseOutcome(mixed).hasPrefix("error 2:"))
        let inline = "a = " + String(repeating: "{ b.c = ", count: 5000) + "1" + String(repeating: " }", count: 5000)
        #expect(parseOutcome(inline).hasPrefix("error 1:"))
    }
}
