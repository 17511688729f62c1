internal import CPocketSphinx
import SystemSupport

/// The one place that calls libpocketsphinx and libsphinxbase.
///
/// Owns one `ps_decoder_t` and frees it in `deinit`. Not thread-safe (neither is the decoder).
/// The library's logging is global state, so it is switched off once for the whole process,
/// and decoder set-up (which reads and may reconfigure that state) is serialised.
final class PocketSphinxDecoder {
    /// One recognised segment: a word or a filler, with frame bounds and log posterior.
    struct Segment {
        var word: String
        var startFrame: Int
        var endFrame: Int
        var confidence: Double?
    }

    private let decoder: OpaquePointer
    /// Feature frames per second (`-frate`, 100 unless overridden).
    let framesPerSecond: Double
    /// The cepstral mean the decoder starts from, restored before every utterance.
    private let initialCepstralMean: [Float]

    /// Serialises `ps_init`, which touches sphinxbase's global logging and model caches; the
    /// value counts the decoders set up. (Not `Locked(())`: an empty value has no storage of
    /// its own, and ThreadSanitizer reported the `inout` access to it against the lock object's
    /// header, which other threads read without the lock.)
    private static let setupLock = Locked(0)

    /// Creates a decoder from command-line style options (`["-hmm", path, …]`).
    /// - Parameters:
    ///   - arguments: Option/value pairs as `pocketsphinx_continuous` takes them.
    /// - Throws: `TranscriptionError.Code.invalidConfiguration` when the library rejects
    ///   the options or cannot load the model they name.
    init(arguments: [String]) throws(TranscriptionError) {
        let made: OpaquePointer? = Self.setupLock.withLock { setups in
            setups += 1
            // Silence the library before it parses anything: parsing logs the configuration.
            err_set_logfp(nil)
            var cStrings: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
            defer { cStrings.forEach { free($0) } }
            let config = cStrings.withUnsafeMutableBufferPointer { argv in
                cmd_ln_parse_r(nil, ps_args(), Int32(argv.count), argv.baseAddress, 1)
            }
            guard let config else { return nil }
            // The decoder retains the configuration; drop our reference either way.
            defer { cmd_ln_free_r(config) }
            return ps_init(config)
        }
        guard let made else {
            throw TranscriptionError(
                .invalidConfiguration,
                "PocketSphinx rejected its configuration or could not load the model (\(arguments.joined(separator: " ")))")
        }
        decoder = made
        let rate = cmd_ln_int_r(ps_get_config(made), "-frate")
        framesPerSecond = rate > 0 ? Double(rate) : 100
        if let cmn = ps_get_feat(made)?.pointee.cmn_struct {
            var mean = [Float](repeating: 0, count: Int(cmn.pointee.veclen))
            cmn_live_get(cmn, &mean)
            initialCepstralMean = mean
        } else {
            initialCepstralMean = []
        }
    }

    deinit { ps_free(decoder) }

    /// Starts an utterance from the decoder's initial state. The corresponding C functions are
    /// `ps_start_stream`, `cmn_live_set` and `ps_start_utt`.
    ///
    /// A decoder adapts its live cepstral mean and noise estimate to every utterance it hears;
    /// both are reset here so that a clip's transcript does not depend on which clips the same
    /// engine decoded before it (workers take clips in any order, and a resumed run must
    /// reproduce an uninterrupted one).
    func startUtterance() throws(TranscriptionError) {
        ps_start_stream(decoder)
        if let cmn = ps_get_feat(decoder)?.pointee.cmn_struct, !initialCepstralMean.isEmpty {
            initialCepstralMean.withUnsafeBufferPointer { cmn_live_set(cmn, $0.baseAddress) }
        }
        guard ps_start_utt(decoder) >= 0 else {
            throw TranscriptionError(.engineFailed, "PocketSphinx could not start an utterance")
        }
    }

    /// Feeds 16 kHz mono samples. The corresponding C function is `ps_process_raw`.
    /// - Parameters:
    ///   - samples: The samples.
    ///   - wholeUtterance: Whether `samples` is the whole utterance, which lets batch
    ///     normalisation (`-cmn batch`) see all of it at once.
    func process(_ samples: UnsafeBufferPointer<Int16>, wholeUtterance: Bool = false) throws(TranscriptionError) {
        guard let base = samples.baseAddress, !samples.isEmpty else { return }
        guard ps_process_raw(decoder, base, samples.count, 0, wholeUtterance ? 1 : 0) >= 0 else {
            throw TranscriptionError(.engineFailed, "PocketSphinx failed while decoding audio")
        }
    }

    /// Ends the utterance; the result is then available. The C function is `ps_end_utt`.
    @discardableResult
    func endUtterance() -> Bool { ps_end_utt(decoder) >= 0 }

    /// The best hypothesis of the last utterance, fillers removed. C: `ps_get_hyp`.
    func hypothesis() -> String {
        guard let hyp = ps_get_hyp(decoder, nil) else { return "" }
        return String(cString: hyp)
    }

    /// The segments of the best path, with posterior confidences when the decoder computed
    /// a lattice. C: `ps_seg_iter`, `ps_seg_next`, `ps_seg_word`, `ps_seg_frames`, `ps_seg_prob`.
    func segments() -> [Segment] {
        let logmath = ps_get_logmath(decoder)
        var result: [Segment] = []
        var seg = ps_seg_iter(decoder)
        while let current = seg {
            var start: Int32 = 0, end: Int32 = 0
            ps_seg_frames(current, &start, &end)
            var acoustic: Int32 = 0, language: Int32 = 0, backoff: Int32 = 0
            let logPosterior = ps_seg_prob(current, &acoustic, &language, &backoff)
            let posterior = logmath.map { logmath_exp($0, logPosterior) }
            let word = ps_seg_word(current).map { String(cString: $0) } ?? ""
            result.append(
                Segment(
                    word: word, startFrame: Int(start), endFrame: Int(end),
                    confidence: posterior.flatMap { (0...1).contains($0) ? $0 : nil }))
            seg = ps_seg_next(current)  // frees the iterator at the end
        }
        return result
    }
}
