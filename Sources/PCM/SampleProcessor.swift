/// A streaming stage that turns chunks of PCM into chunks of PCM.
///
/// Feed chunks of any size to ``process(_:)`` and call ``flush()`` once at the end of the
/// stream to get what the stage still holds (for example the tail of a filter). The output
/// of a processor must not depend on how its input was cut into chunks.
public protocol SampleProcessor {
    /// The format the processor accepts.
    var inputFormat: AudioFormat { get }
    /// The format the processor produces.
    var outputFormat: AudioFormat { get }

    /// Processes one chunk.
    /// - Parameter input: Frames in ``inputFormat``.
    /// - Returns: The frames that are ready, in ``outputFormat`` (possibly none).
    /// - Throws: ``PCMError`` when the input's format differs from ``inputFormat`` or its
    ///   samples break the processor's documented policy.
    mutating func process(_ input: PCMBuffer) throws(PCMError) -> PCMBuffer

    /// Ends the stream and returns the frames still held.
    /// - Returns: The remaining frames in ``outputFormat``.
    mutating func flush() -> PCMBuffer
}
