/// The names of the files a run writes per item: one name per id, and never one for two ids.
///
/// A converted clip goes to `wavs/<name>.wav`, where `<name>` is the id with a reversible
/// (URL-style) percent-escape of the bytes that cannot or should not appear in a file name:
/// - `%` → `%25` (so every escape can be read back),
/// - `/` → `%2F` (ids of nested audio folders, `speaker/chapter/utt`),
/// - a leading `.` → `%2E` (no hidden files, nothing that looks like a temporary file),
/// - control bytes (0x00–0x1F, 0x7F) → `%XX`.
///
/// Every other byte is kept, so common ids (`common_voice_en_123`, `1089-134686-0000`,
/// `x__y`) keep their old names. The mapping is injective on bytes: ids that differ only in
/// `/` versus `__`, in case, or in Unicode normalisation (NFC versus NFD) get different names,
/// which Linux file systems keep apart. (A case-insensitive or normalising file system — macOS
/// by default, FAT, ext4 with casefold — would fold the last two; keep outputs off those.)
enum ItemFileNames {
    /// Recorded in the checkpoint configuration when audio is written: journals of runs that
    /// named files otherwise (`/` became `__`) do not resume into this scheme.
    static let scheme = "percent-escaped"

    /// The file name (without folder or extension) for an id.
    static func name(forID id: String) -> String {
        var escaped: [UInt8] = []
        escaped.reserveCapacity(id.utf8.count)
        for (offset, byte) in id.utf8.enumerated() {
            let needsEscape = byte == UInt8(ascii: "%") || byte == UInt8(ascii: "/") || byte < 0x20 || byte == 0x7F
                || (offset == 0 && byte == UInt8(ascii: "."))
            guard needsEscape else {
                escaped.append(byte)
                continue
            }
            escaped += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
}
