extension EnglishNumberNormalizer {
    /// `process_words`: turns spelled-out numbers into digits, word by word.
    static func processWords(_ words: [String]) -> [String] {
        var processor = WordProcessor(words: words)
        for index in words.indices { processor.take(index) }
        processor.outputValue()
        return processor.results
    }

    /// One word of the input with the neighbours `process_words` looks at (`windowed(words, 3)`).
    struct Word {
        let current: String
        let previous: String?
        let next: String?

        init(_ words: [String], _ index: Int) {
            current = words[index]
            previous = index > 0 ? words[index - 1] : nil
            next = index + 1 < words.count ? words[index + 1] : nil
        }

        var nextIsNumeric: Bool { next.map(isArabicNumber) ?? false }
        var nextIsWord: Bool { next.map { EnglishNumberNormalizer.words.contains($0) } ?? false }
        var previousIsOnes: Bool { previous.map { ones[$0] != nil } ?? false }
        var previousIsTens: Bool { previous.map { tens[$0] != nil } ?? false }
    }

    /// The state of `process_words` as it walks the words: the words given out so far, and
    /// the number being built (`value`) with its sign or currency (`prefix`). The `if`/`elif`
    /// chain of the Python loop is ``take(_:)`` and the functions it calls, in the same order.
    struct WordProcessor {
        let words: [String]
        private(set) var results: [String] = []
        private var prefix: String?
        private var value: Value?
        private var skip = false

        init(words: [String]) { self.words = words }

        /// `output(result)`: gives out a word with the prefix, and starts a new number.
        mutating func output(_ result: String) {
            results.append((prefix ?? "") + result)
            value = nil
            prefix = nil
        }

        mutating func output(_ result: Value) { output(result.string) }

        /// `if value is not None: yield output(value)`.
        mutating func outputValue() {
            if let value { output(value) }
        }

        /// Takes the word at `index`.
        mutating func take(_ index: Int) {
            if skip {
                skip = false
                return
            }
            let word = Word(words, index)
            let current = word.current
            if takeArabicNumber(current) { return }
            if !EnglishNumberNormalizer.words.contains(current) {
                outputValue()
                output(current)
            } else if zeros.contains(current) {
                value = .text(Value.orEmpty(value) + "0")
            } else if let ones = ones[current] {
                add(ones: ones, word)
            } else if let (ones, suffix) = onesSuffixed[current] {
                output(ones: ones, suffix: suffix, word)
            } else if let tens = tens[current] {
                add(tens: tens)
            } else if let (tens, suffix) = tensSuffixed[current] {
                output(tens: tens, suffix: suffix)
            } else if let exponent = multipliers[current] {
                multiply(exponent: exponent)
            } else if let (exponent, suffix) = multipliersSuffixed[current] {
                output(exponent: exponent, suffix: suffix)
            } else {
                takeSpecial(word)
            }
        }

        /// Digits, with an optional sign or currency symbol in front; returns `false` for a
        /// word that is not one.
        private mutating func takeArabicNumber(_ current: String) -> Bool {
            let hasPrefix = prefixes.contains(current.unicodeScalars.first!)
            let currentWithoutPrefix = hasPrefix ? String(current.unicodeScalars.dropFirst()) : current
            guard isArabicNumber(currentWithoutPrefix) else { return false }
            let fraction = DecimalFraction(currentWithoutPrefix)!
            if let existing = value {
                if case .text(let text) = existing, text.hasSuffix(".") {
                    value = .text(text + current)  // decimals / ip address components
                    return true
                }
                output(existing)
            }
            if hasPrefix { prefix = String(current.unicodeScalars.first!) }
            value = fraction.integer.map(Value.integer) ?? .text(currentWithoutPrefix)
            return true
        }

        // MARK: - Numbers

        private mutating func add(ones: Int, _ word: Word) {
            switch value {
            case nil:
                value = .integer(DecimalNatural(ones))
            case .text(let text) where word.previousIsTens && ones < 10:  // replace the last zero with the digit
                value = .text(String(text.unicodeScalars.dropLast()) + String(ones))
            case let existing? where word.previousIsOnes || existing.isText:
                value = .text(existing.string + String(ones))
            case .integer(let number)?:
                value = number.isMultiple(ofPowerOfTen: ones < 10 ? 1 : 2)
                    ? .integer(number + DecimalNatural(ones)) : .text(number.description + String(ones))
            case .text?:
                preconditionFailure("covered above")
            }
        }

        private mutating func output(ones: Int, suffix: String, _ word: Word) {
            switch value {
            case nil:
                output(String(ones) + suffix)
            case .text(let text) where word.previousIsTens && ones < 10:
                output(String(text.unicodeScalars.dropLast()) + String(ones) + suffix)
            case let existing? where word.previousIsOnes || existing.isText:
                output(existing.string + String(ones) + suffix)
            case .integer(let number)?:
                output(
                    number.isMultiple(ofPowerOfTen: ones < 10 ? 1 : 2)
                        ? (number + DecimalNatural(ones)).description + suffix
                        : number.description + String(ones) + suffix)
            case .text?:
                preconditionFailure("covered above")
            }
            value = nil
        }

        private mutating func add(tens: Int) {
            switch value {
            case nil: value = .integer(DecimalNatural(tens))
            case .text(let text)?: value = .text(text + String(tens))
            case .integer(let number)?:
                value = number.isMultiple(ofPowerOfTen: 2)
                    ? .integer(number + DecimalNatural(tens)) : .text(number.description + String(tens))
            }
        }

        private mutating func output(tens: Int, suffix: String) {
            switch value {
            case nil: output(String(tens) + suffix)
            case .text(let text)?: output(text + String(tens) + suffix)
            case .integer(let number)?:
                output(
                    number.isMultiple(ofPowerOfTen: 2)
                        ? (number + DecimalNatural(tens)).description + suffix
                        : number.description + String(tens) + suffix)
            }
        }

        private mutating func multiply(exponent: Int) {
            let multiplier = DecimalNatural.powerOfTen(exponent)
            switch value {
            case nil:
                value = .integer(multiplier)
            case .integer(let number)? where !number.isZero:
                value = .integer(number.timesThousandResidual(exponent))
            case let existing?:
                if let product = DecimalFraction(existing.string)?.timesPowerOfTen(exponent) {
                    value = .integer(product)
                } else {
                    output(existing)
                    value = .integer(multiplier)
                }
            }
        }

        private mutating func output(exponent: Int, suffix: String) {
            let multiplier = DecimalNatural.powerOfTen(exponent)
            switch value {
            case nil:
                output(multiplier.description + suffix)
            case .text(let text)?:
                if let product = DecimalFraction(text)?.timesPowerOfTen(exponent) {
                    output(product.description + suffix)
                } else {
                    output(text)
                    output(multiplier.description + suffix)
                }
            case .integer(let number)?:
                output(number.timesThousandResidual(exponent).description + suffix)
            }
            value = nil
        }

        // MARK: - Prefixes and specials

        /// Signs, currencies, "per cent"/"percent", and the specials (and, double, triple,
        /// point).
        private mutating func takeSpecial(_ word: Word) {
            let current = word.current
            if let sign = precedingPrefixers[current] {
                // apply prefix (positive, minus, etc.) if it precedes a number
                outputValue()
                if word.nextIsWord || word.nextIsNumeric { prefix = sign } else { output(current) }
            } else if let symbol = followingPrefixers[current] {
                // apply prefix (dollars, cents, etc.) only after a number
                if let existing = value {
                    prefix = symbol
                    output(existing)
                } else {
                    output(current)
                }
            } else if current == "per" || current == "percent" {
                takePercent(word)
            } else if !word.nextIsWord && !word.nextIsNumeric {
                // a special (and, double, triple, point) only counts when the next word can be numeric
                outputValue()
                output(current)
            } else if current == "and" {
                // ignore "and" after hundreds, thousands, etc.
                if word.previous.map({ multipliers[$0] == nil }) ?? true {
                    outputValue()
                    output(current)
                }
            } else if current == "double" || current == "triple" {
                if let next = word.next, ones[next] != nil || zeros.contains(next) {
                    let digit = String(ones[next] ?? 0)
                    value = .text(Value.orEmpty(value) + String(repeating: digit, count: current == "double" ? 2 : 3))
                    skip = true
                } else {
                    outputValue()
                    output(current)
                }
            } else if current == "point" {
                if let next = word.next, decimals.contains(next) || word.nextIsNumeric {
                    value = .text(Value.orEmpty(value) + ".")
                }
            }
        }

        private mutating func takePercent(_ word: Word) {
            guard let existing = value else { return output(word.current) }
            if word.current == "percent" {
                output(existing.string + "%")
            } else if word.next == "cent" {
                output(existing.string + "%")
                skip = true
            } else {
                output(existing)
                output(word.current)
            }
        }
    }
}
