internal import CArchive
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SystemPackage
import SystemSupport

/// Reads a tar archive — plain, or compressed with gzip, xz, zstd or bzip2, recognised from its
/// bytes — as one forward stream, through libarchive.
///
/// ```swift
/// let reader = try ArchiveReader(path: "cv-corpus-21.0-yue.tar.gz")
/// while let member = try reader.nextMember() {
///     guard member.isReadableFile, member.path!.hasSuffix(".tsv") else { continue }  // skipped, not buffered
///     let bytes = try reader.readMember()
/// }
/// ```
///
/// Memory does not grow with the archive: a member not read is skipped inside the
/// decompressor, and a member is only ever read whole up to ``memberSizeLimit``. Member names
/// are reported as stored, and as a safe relative path (``ArchiveMember/path``) that is `nil`
/// for absolute names and names with `..`; such members, links and devices are never read.
/// Every call into libarchive lives in this file.
public final class ArchiveReader: MemberSource {
    /// The archive's path.
    public let sourcePath: String
    /// The largest member ``readMember()`` reads into memory, in bytes.
    public let memberSizeLimit: Int
    /// The default cap on a member read whole: 256 MiB, far above any speech clip.
    public static let defaultMemberSizeLimit = 256 << 20

    private var handle: OpaquePointer?
    private var current: ArchiveMember?
    private var currentConsumed = false
    private var sawHeader = false

    /// Opens an archive for one forward pass.
    /// - Parameters:
    ///   - path: The archive file.
    ///   - memberSizeLimit: The largest member read whole, in bytes.
    /// - Throws: ``ArchiveError`` `notFound` when the file cannot be opened, `notAnArchive`
    ///   when its bytes are not a (compressed) tar archive.
    public init(path: String, memberSizeLimit: Int = ArchiveReader.defaultMemberSizeLimit) throws(ArchiveError) {
        sourcePath = path
        self.memberSizeLimit = memberSizeLimit
        var status = stat()
        guard stat(path, &status) == 0 else {
            let error = SystemCall.lastError
            throw ArchiveError(.notFound, archive: path, "cannot open it: \(error)", cause: error)
        }
        if status.st_mode & S_IFMT == S_IFDIR {
            throw ArchiveError(.notAnArchive, archive: path, "this is a folder, not an archive file")
        }
        guard let created = archive_read_new() else {
            throw ArchiveError(.readFailed, archive: path, "libarchive could not start")
        }
        handle = created
        archive_read_support_filter_all(created)
        archive_read_support_format_tar(created)
        archive_read_support_format_gnutar(created)
        // Opening already decompresses the first block to recognise the format.
        guard archive_read_open_filename(created, path, 1 << 20) == ARCHIVE_OK else {
            let error = translate(.notAnArchive, prefix: "not a tar archive (plain, gzip, xz, zstd or bzip2)")
            close()
            throw error
        }
    }

    deinit { close() }

    /// Frees libarchive's state; safe to call twice. The corresponding C function is `archive_read_free`.
    public func close() {
        guard let open = handle else { return }
        handle = nil
        archive_read_free(open)
    }

    /// The compression filters libarchive found, outermost first (for example `["gzip"]`);
    /// empty for a plain tar or before the first header.
    public var compression: [String] {
        guard let open = handle else { return [] }
        return (0..<Int(archive_filter_count(open))).compactMap { index in
            guard archive_filter_code(open, Int32(index)) != ARCHIVE_FILTER_NONE,
                let name = archive_filter_name(open, Int32(index))
            else { return nil }
            return String(cString: name)
        }
    }

    /// Moves to the next member, skipping the unread data of the current one without buffering
    /// it. The corresponding C function is `archive_read_next_header`.
    /// - Returns: The member, or `nil` at the end of the archive.
    /// - Throws: ``ArchiveError`` `notAnArchive` when the first header cannot be read,
    ///   `truncated` when the archive ends in a header or member, `corrupt` for a damaged
    ///   header or compression stream.
    public func nextMember() throws(ArchiveError) -> ArchiveMember? {
        guard let open = handle else { throw ArchiveError(.invalidUse, archive: sourcePath, "the reader was closed") }
        var entry: OpaquePointer?
        let status = archive_read_next_header(open, &entry)
        if status == ARCHIVE_EOF {
            current = nil
            return nil
        }
        guard status >= ARCHIVE_WARN, let entry else {
            let after = current.map { " after member \($0.rawPath)" } ?? ""
            current = nil
            if !sawHeader { throw translate(.notAnArchive, prefix: "not a tar archive (plain, gzip, xz, zstd or bzip2)") }
            throw translate(.corrupt, prefix: "the archive breaks off\(after)")
        }
        sawHeader = true
        let raw = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
        let kind: ArchiveMember.Kind
        if archive_entry_hardlink(entry) != nil {
            kind = .hardLink
        } else {
            switch archive_entry_filetype(entry) {
            case S_IFREG: kind = .file
            case S_IFDIR: kind = .directory
            case S_IFLNK: kind = .symbolicLink
            default: kind = .special
            }
        }
        let member = ArchiveMember(rawPath: raw, size: Int(max(0, archive_entry_size(entry))), kind: kind)
        current = member
        currentConsumed = false
        return member
    }

    /// Reads the next part of the current member's data, for members too large to hold whole.
    /// The corresponding C function is `archive_read_data`.
    /// - Parameter buffer: Where the bytes go.
    /// - Returns: Bytes read; 0 at the end of the member.
    /// - Throws: ``ArchiveError`` `unsafeMember` for a link, device or unsafe name, `truncated`
    ///   or `corrupt` when the data breaks off.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ArchiveError) -> Int {
        let member = try readableCurrent()
        guard let open = handle, let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let n = archive_read_data(open, base, buffer.count)
        if n < 0 { throw translate(.corrupt, member: member.rawPath, prefix: "the data breaks off") }
        return n
    }

    /// Reads the whole data of the current member.
    /// - Returns: The bytes, as many as the header declares.
    /// - Throws: ``ArchiveError`` `memberTooLarge` when the declared size is over
    ///   ``memberSizeLimit`` (nothing is read; the data is skipped by the next
    ///   ``nextMember()``), `unsafeMember`, `truncated` or `corrupt`, `invalidUse` when the data
    ///   was already read.
    public func readMember() throws(ArchiveError) -> [UInt8] {
        let member = try readableCurrent()
        guard !currentConsumed else {
            throw ArchiveError(.invalidUse, archive: sourcePath, member: member.rawPath, "its data was already read")
        }
        guard member.size <= memberSizeLimit else {
            throw ArchiveError(
                .memberTooLarge, archive: sourcePath, member: member.rawPath,
                "is \(member.size) bytes, over the \(memberSizeLimit)-byte limit for one member; it was skipped, not read")
        }
        currentConsumed = true
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, member.size), alignment: 16)
        defer { raw.deallocate() }
        var filled = 0
        while filled < member.size {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled..<member.size]))
            if n == 0 {
                throw ArchiveError(
                    .truncated, archive: sourcePath, member: member.rawPath,
                    "the archive ends early: \(filled) of \(member.size) bytes")
            }
            filled += n
        }
        return Array(raw.prefix(member.size))
    }

    /// Whether a file's first bytes are those of a tar archive or of a gzip, xz, zstd or bzip2
    /// stream (what ``init(path:memberSizeLimit:)`` accepts). Reads at most 512 bytes.
    /// - Parameter path: A file.
    /// - Returns: `false` for folders, unreadable files and other content.
    public static func looksLikeArchive(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { Glibc.close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return false }
        var bytes = [UInt8](repeating: 0, count: 512)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, 512, 0) }
        guard n > 0 else { return false }
        return looksLikeArchive(prefix: Array(bytes.prefix(n)))
    }

    /// Whether leading bytes are those of a tar archive or a gzip, xz, zstd or bzip2 stream.
    /// - Parameter bytes: Up to 512 leading bytes.
    /// - Returns: `true` for `ustar` at offset 257 or a compression magic number.
    public static func looksLikeArchive(prefix bytes: [UInt8]) -> Bool {
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + magic.count && Array(bytes[offset..<(offset + magic.count)]) == magic
        }
        return starts([0x1F, 0x8B]) || starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) || starts([0x28, 0xB5, 0x2F, 0xFD])
            || (starts(Array("BZh".utf8)) && bytes.count > 3 && (0x31...0x39).contains(bytes[3]))
            || starts(Array("ustar".utf8), at: 257)
    }

    private func readableCurrent() throws(ArchiveError) -> ArchiveMember {
        guard let member = current else {
            throw ArchiveError(.invalidUse, archive: sourcePath, "no current member: call nextMember() first")
        }
        guard member.isReadableFile else {
            let why = member.path == nil
                ? "has an absolute name or one with \"..\" and is never read"
                : "is a \(member.kind), not a regular file, and is never followed"
            throw ArchiveError(.unsafeMember, archive: sourcePath, member: member.rawPath, why)
        }
        return member
    }

    /// libarchive's message as an error; "truncated" messages become `ArchiveError.Code.truncated`.
    private func translate(_ code: ArchiveError.Code, member: String? = nil, prefix: String) -> ArchiveError {
        let message = handle.flatMap { archive_error_string($0) }.map { String(cString: $0) } ?? "unknown libarchive error"
        let lowered = message.lowercased()
        let truncated = lowered.contains("truncated") || lowered.contains("premature end") || lowered.contains("unexpected eof")
            || lowered.contains("no progress is possible")  // liblzma's LZMA_BUF_ERROR: the input ended
        let damaged = ["decompression failed", "lzma", "xz", "zstd", "bzip", "damaged", "corrupt", "invalid", "checksum"]
            .contains { lowered.contains($0) }
        let finalCode: ArchiveError.Code = truncated ? .truncated : damaged ? .corrupt : code
        let text = finalCode == .truncated ? "the archive ends early (\(message))" : "\(prefix): \(message)"
        return ArchiveError(finalCode, archive: sourcePath, member: member ?? current?.rawPath, text)
    }
}
