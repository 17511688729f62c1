/// Exact arithmetic on conversion ratios.
enum RateRatio {
    /// The ratio `outputRate / inputRate` as a reduced fraction: exact for integral rates,
    /// otherwise the continued-fraction convergent within 1e-12 (relative) of it.
    static func reduced(outputRate: Double, inputRate: Double) -> (up: Int, down: Int) {
        if outputRate == outputRate.rounded(), inputRate == inputRate.rounded() {
            return reduce(Int(outputRate), Int(inputRate))
        }
        let target = outputRate / inputRate
        var (p0, q0, p1, q1) = (0, 1, 1, 0)
        var x = target
        while true {
            let a = x.rounded(.down)
            let ai = Int(a)
            let (p2, q2) = (ai * p1 + p0, ai * q1 + q0)
            (p0, q0, p1, q1) = (p1, q1, p2, q2)
            let error = abs(Double(p1) / Double(q1) - target) / target
            if error <= 1e-12 || q1 > 1 << 24 || x == a { break }
            x = 1 / (x - a)
        }
        return reduce(p1, q1)
    }

    /// `a / b` divided by their greatest common divisor.
    static func reduce(_ a: Int, _ b: Int) -> (up: Int, down: Int) {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return (a / x, b / x)
    }

    /// `round(value × numerator / denominator)` (halves away from zero) without overflow.
    static func roundedScale(_ value: Int, by numerator: Int, over denominator: Int) -> Int {
        let product = value.multipliedFullWidth(by: numerator)
        let (quotient, remainder) = denominator.dividingFullWidth(product)
        return 2 * remainder.magnitude >= denominator.magnitude ? quotient + 1 : quotient
    }
}
