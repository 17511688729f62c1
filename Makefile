# The whole set-up on a fresh Debian machine is `make demo` and `make test`.
SWIFT ?= swift
BUILD_FLAGS ?=

.PHONY: bootstrap build demo test benchmarks fuzz clean

bootstrap:
	bash Scripts/bootstrap.sh

build: bootstrap
	$(SWIFT) build $(BUILD_FLAGS)

demo: bootstrap
	bash Scripts/demo.sh

test: bootstrap
	$(SWIFT) test $(BUILD_FLAGS)

benchmarks: bootstrap
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark

# Every libFuzzer harness for 30 s (Scripts/fuzz.sh TARGET SECONDS for one, longer).
fuzz: bootstrap
	bash Scripts/fuzz.sh all 30

clean:
	rm -rf .build out
