/// An item id compared and hashed by its UTF-8 bytes.
///
/// Swift's `String` equality is Unicode canonical equivalence: `"é"` spelled as one scalar
/// (NFC, U+00E9) equals `"é"` spelled as two (NFD, `e` + U+0301). File systems, JSON readers
/// and other tools see two different ids, so two such items are two items. Everything that
/// tells items apart by id — the journal, duplicate detection, the pipeline's selection —
/// keys on this type instead of `String`.
public struct ExactID: Hashable, Sendable, CustomStringConvertible {
    /// The id.
    public let id: String

    /// Wraps an id.
    /// - Parameter id: The id, kept exactly as spelled.
    public init(_ id: String) { self.id = id }

    /// Whether the two ids have the same UTF-8 bytes.
    /// - Parameters:
    ///   - lhs: An id.
    ///   - rhs: Another id.
    /// - Returns: `true` only for byte-identical spellings.
    public static func == (lhs: ExactID, rhs: ExactID) -> Bool { lhs.id.utf8.elementsEqual(rhs.id.utf8) }

    /// Hashes the UTF-8 bytes.
    /// - Parameter hasher: The hasher.
    public func hash(into hasher: inout Hasher) {
        var id = id
        id.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(id.utf8.count)
    }

    /// The id.
    public var description: String { id }
}
