#!/usr/bin/env bash
# Builds librdkafka 2.15.1 from the source shipped in the npm package @confluentinc/kafka-javascript,
# with Rivulet's test-broker patches applied, into <repo>/.native/. Skips the build when the
# library there was built from the same version, patches and flags.
#
# Kafka clients never need this build: they use Confluent.Kafka's stock librdkafka (the
# librdkafka.redist package). The build serves the test broker, and, as an opt-in, users who need
# GSSAPI on Debian/Ubuntu (the stock glibc build has none).
#
# Output: <repo>/.native/lib/librivulet-testbroker.so  the test broker (Rivulet.Testing.Kafka loads it by path)
#         <repo>/.native/lib/librdkafka.so             the same build, for RIVULET_LIBRDKAFKA (GSSAPI)
set -euo pipefail

NPM_PACKAGE="@confluentinc/kafka-javascript@1.10.1"
LIBRDKAFKA_VERSION="2.15.1"
CONFIGURE_FLAGS=(--enable-ssl --enable-gssapi --enable-zstd --enable-lz4-ext --enable-zlib --enable-curl --disable-debug-symbols)
DEBIAN_PACKAGES=(gcc g++ make python3 pkg-config libssl-dev zlib1g-dev libsasl2-dev libsasl2-modules-gssapi-mit libzstd-dev liblz4-dev libcurl4-openssl-dev)

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
native="$repo/.native"
patch_dir="$repo/tools/mock-broker/patches"
lib="$native/lib/librdkafka.so"
broker_lib="$native/lib/librivulet-testbroker.so"

stamp_of() {
  {
    echo "$NPM_PACKAGE $LIBRDKAFKA_VERSION ${CONFIGURE_FLAGS[*]}"
    cat "${BASH_SOURCE[0]}"
    if [ -d "$patch_dir" ]; then find "$patch_dir" -name '*.patch' -type f | sort | xargs -r cat; fi
  } | sha256sum | cut -d' ' -f1
}
stamp="$(stamp_of)"

if [ -f "$lib" ] && [ -f "$broker_lib" ] && [ "$(cat "$native/stamp" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "build-librdkafka: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  else
    echo "build-librdkafka: missing build packages; run as root:" >&2
    echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
command -v npm >/dev/null || { echo "build-librdkafka: npm is required to fetch the librdkafka source ($NPM_PACKAGE)" >&2; exit 1; }

work="$native/work"
rm -rf "$work"
mkdir -p "$work" "$native/lib"
echo "build-librdkafka: fetching $NPM_PACKAGE" >&2
(cd "$work" && npm pack --silent "$NPM_PACKAGE" >/dev/null && tar xzf ./*.tgz)
src="$work/package/deps/librdkafka"
[ -f "$src/src/rdkafka.h" ] || { echo "build-librdkafka: no librdkafka source in $NPM_PACKAGE" >&2; exit 1; }
grep -q "RD_KAFKA_VERSION  *0x020f01" "$src/src/rdkafka.h" || { echo "build-librdkafka: expected librdkafka $LIBRDKAFKA_VERSION in $NPM_PACKAGE" >&2; exit 1; }

if [ -d "$patch_dir" ]; then
  for p in $(find "$patch_dir" -name '*.patch' -type f | sort); do
    echo "build-librdkafka: applying $(basename "$p")" >&2
    patch -d "$src" -p1 --forward --quiet < "$p"
  done
fi

echo "build-librdkafka: building librdkafka $LIBRDKAFKA_VERSION (about 2 minutes)" >&2
(cd "$src" && ./configure --no-download --prefix="$native/install" "${CONFIGURE_FLAGS[@]}" > "$native/configure.log" 2>&1) \
  || { echo "build-librdkafka: configure failed, see $native/configure.log" >&2; tail -20 "$native/configure.log" >&2; exit 1; }
(cd "$src/src" && make -j"$(nproc)" librdkafka.so.1 > "$native/make.log" 2>&1) \
  || { echo "build-librdkafka: make failed, see $native/make.log" >&2; tail -30 "$native/make.log" >&2; exit 1; }
cp "$src/src/librdkafka.so.1" "$lib.tmp"
cp "$src/src/librdkafka.so.1" "$broker_lib.tmp"
mv "$lib.tmp" "$lib"
mv "$broker_lib.tmp" "$broker_lib"
echo "$stamp" > "$native/stamp"
echo "build-librdkafka: built $lib" >&2
