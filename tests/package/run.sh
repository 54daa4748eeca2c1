#!/usr/bin/env bash
# Install test of the Debian package (SPEC §13), run as root by `make test-package`:
# installs the .deb with dpkg, checks its metadata (WebKit runtime in Depends, desktop entry,
# hicolor icons), runs `paform --version` and starts `paform-desktop` from /usr/bin under a
# virtual display until its window is mapped, launches it a second time to see the one-instance
# hand-over (the second launch exits, the first keeps running), then removes the package.
set -euo pipefail

deb=${1:?usage: tests/package/run.sh PACKAGE.deb}
package=$(dpkg-deb -f "$deb" Package)
scratch=$(mktemp -d)
cleanup() {
	dpkg -r "$package" >/dev/null 2>&1 || true
	rm -rf "$scratch"
}
trap cleanup EXIT

fail() {
	echo "package test: FAILED: $*" >&2
	exit 1
}

echo "package test: $(basename "$deb"), $(du -h "$deb" | cut -f1)"
depends=$(dpkg-deb -f "$deb" Depends)
for runtime in libwebkit2gtk-4.1-0 libgtk-3-0; do
	grep -q "$runtime" <<<"$depends" || fail "Depends lacks $runtime: $depends"
done

dpkg -i "$deb" >/dev/null
files=$(dpkg -L "$package")
for path in /usr/bin/paform /usr/bin/paform-desktop; do
	test -x "$path" || fail "$path is not installed"
done
entry=$(grep '^/usr/share/applications/.*\.desktop$' <<<"$files") || fail "no desktop entry"
grep -q '^Exec=paform-desktop' "$entry" || fail "$entry does not start paform-desktop"
grep -q '^/usr/share/icons/hicolor/.*/apps/.*\.png$' <<<"$files" || fail "no hicolor icons"

version=$(/usr/bin/paform --version)
[[ $version == paform* ]] || fail "paform --version printed: $version"
echo "package test: $version"

# Under a virtual display: the first launch maps a window titled Paform; a
# second launch hands over to it and exits, and the first keeps running.
export PAFORM_DATA_DIR=$scratch/data PAFORM_DESKTOP_NO_DIALOG=1 RUST_LOG=warn
xvfb-run -a -s '-screen 0 1280x800x24' bash -c '
	set -euo pipefail
	/usr/bin/paform-desktop & first=$!
	for _ in $(seq 300); do
		xwininfo -root -tree 2>/dev/null | grep -q "\"Paform\"" && break
		kill -0 "$first" 2>/dev/null || { echo "paform-desktop exited before its window showed" >&2; exit 1; }
		sleep 0.2
	done
	xwininfo -root -tree | grep -q "\"Paform\"" || { echo "no Paform window after 60 s" >&2; exit 1; }
	echo "package test: the installed app shows its window"
	timeout 30 /usr/bin/paform-desktop || { echo "a second launch did not exit" >&2; exit 1; }
	kill -0 "$first" || { echo "the first instance ended with the second" >&2; exit 1; }
	echo "package test: a second launch handed over and exited"
	kill "$first"; wait "$first" || true
' || fail "the installed app did not run as expected"

dpkg -r "$package" >/dev/null
test ! -e /usr/bin/paform-desktop || fail "dpkg -r left /usr/bin/paform-desktop"
echo "package test: passed"
