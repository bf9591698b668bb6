# Thin wrapper: the build is meson/ninja; these targets are the README's promises.
DB      ?= sqlite:var/unbox.db
LISTEN  ?= 127.0.0.1:8080

.PHONY: all build run test bench clean bootstrap

all: build

bootstrap:
	@scripts/bootstrap

build: bootstrap
	@test -f build/build.ninja || meson setup build --buildtype=debugoptimized >/dev/null
	@ninja -C build --quiet

run: build
	@mkdir -p var
	@./build/unbox migrate --db $(DB)
	@./build/unbox seed --demo --if-new --db $(DB)
	@UNBOX_DEMO=1 exec ./build/unbox serve --listen $(LISTEN) --db $(DB)

test: bootstrap
	@scripts/test

bench: build
	@bench/run && bench/dialogue

clean:
	rm -rf build build-asan
