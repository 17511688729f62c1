internal import RealModule

/// Kaiser-window low-pass design: the window, its shape parameter and its length for a given
/// stopband attenuation and transition width (J. F. Kaiser's formulas, as in Oppenheim &
/// Schafer, "Discrete-Time Signal Processing", §7.5.3).
enum KaiserWindow {
    /// The shape parameter β that gives `attenuationDB` of stopband rejection.
    static func beta(attenuationDB a: Double) -> Double {
        if a > 50 { return 0.1102 * (a - 8.7) }
        if a >= 21 { return 0.5842 * Double.pow(a - 21, 0.4) + 0.07886 * (a - 21) }
        return 0
    }

    /// The filter span, in samples, needed for `attenuationDB` with a transition band
    /// `transition` wide (in cycles per sample).
    static func span(attenuationDB a: Double, transition: Double) -> Double {
        (a - 7.95) / (14.36 * transition)
    }

    /// The modified Bessel function of the first kind, order zero, by its power series
    /// (converges fast for the arguments a window needs, β < 30).
    static func besselI0(_ x: Double) -> Double {
        var sum = 1.0
        var term = 1.0
        let quarterSquare = x * x / 4
        var k = 1.0
        while term > sum * 1e-17 {
            term *= quarterSquare / (k * k)
            sum += term
            k += 1
        }
        return sum
    }

    /// A windowed-sinc low-pass impulse response evaluated at `tau` samples from its centre.
    /// - Parameters:
    ///   - tau: Distance from the centre, in input samples.
    ///   - cutoff: The cutoff in cycles per input sample (0.5 is the Nyquist frequency).
    ///   - halfSpan: Half the window's length in samples; the response is zero beyond it.
    ///   - beta: The window's shape parameter.
    ///   - i0Beta: `besselI0(beta)`, passed in so it is computed once per design.
    static func lowPass(at tau: Double, cutoff: Double, halfSpan: Double, beta: Double, i0Beta: Double) -> Double {
        let r = tau / halfSpan
        guard abs(r) <= 1 else { return 0 }
        let x = 2 * cutoff * tau
        let sinc = x == 0 ? 1 : Double.sin(Double.pi * x) / (Double.pi * x)
        return 2 * cutoff * sinc * besselI0(beta * (1 - r * r).squareRoot()) / i0Beta
    }
}
