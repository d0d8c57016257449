# Sourced by tests/run.sh and demo/run.sh: installs whatever is missing,
# idempotently, on Debian 12 (run as root, or with sudo available). Fast when
# everything is already there. Never downloads a browser: Playwright drives
# Debian's /usr/bin/chromium.
#
# After sourcing: REPO is the repository root; node_modules is current with
# package-lock.json.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
# Debian's emcc needs acorn from node-acorn when it links at -O2 and above.
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"

REELRANK_APT_PACKAGES=(
  cmake ninja-build g++ clang libclang-rt-14-dev clang-format
  emscripten node-acorn binaryen wabt
  libeigen3-dev nlohmann-json3-dev unicode-data
  libgtest-dev googletest libbenchmark-dev
  chromium fonts-liberation fonts-noto-cjk fonts-noto-color-emoji
)

_sudo() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

reelrank_setup() {
  local missing=()
  local p
  for p in "${REELRANK_APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    missing+=(nodejs npm)
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    _sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    _sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # npm packages from the committed lock; re-run only when the lock changed.
  local stamp="$REPO/node_modules/.reelrank-lock.sha256"
  local want
  want="$(sha256sum "$REPO/package-lock.json" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "setup: npm ci"
    (cd "$REPO" && npm ci --no-audit --no-fund --loglevel=error) || return 1
    echo "$want" > "$stamp"
  fi
}

# Configures (once) and builds a CMake preset.
reelrank_build() {
  local preset="$1"
  if [ ! -f "$REPO/build/$preset/build.ninja" ]; then
    (cd "$REPO" && cmake --preset "$preset" >/dev/null) || return 1
  fi
  (cd "$REPO" && cmake --build --preset "$preset")
}
