// SPDX-License-Identifier: Apache-2.0

/// A dynamic DNS problem, worded for a person: a detection that found nothing, a server that
/// could not be reached, a state file that cannot be written.
public struct DDNSError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
