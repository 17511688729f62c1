// The error shape lives in SystemSupport; re-exported so `error.code` needs no second import.
@_exported public import SystemSupport

/// The domain of ``PCMError``: the module it comes from.
public enum PCMErrorDomain: ErrorDomain {}

/// An error raised by the PCM and DSP layer.
///
/// Errors are a struct with static codes, so new codes never break clients. Match a code with
/// `==` or in a `switch` with a `default` case.
public typealias PCMError = DomainError<PCMErrorDomain>

extension PCMError.Code {
    /// A sample rate that is zero, negative, not finite, or outside the supported range.
    public static var invalidSampleRate: Self { Self("invalidSampleRate") }
    /// A channel count of zero or more than ``AudioFormat/maximumChannelCount``.
    public static var invalidChannelCount: Self { Self("invalidChannelCount") }
    /// Two buffers or a buffer and a processor disagree on their format.
    public static var formatMismatch: Self { Self("formatMismatch") }
    /// A sample count that is not a whole number of frames, or a byte count that is not a
    /// whole number of samples.
    public static var invalidLength: Self { Self("invalidLength") }
    /// A buffer holds NaN or infinite samples where the operation forbids them.
    public static var nonFiniteSample: Self { Self("nonFiniteSample") }
    /// An argument outside its documented range (for example a channel index).
    public static var invalidArgument: Self { Self("invalidArgument") }
}
