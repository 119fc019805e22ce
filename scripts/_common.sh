# Shared helpers for the Switchboard sf scripts. Sourced, not run: `source "$SCRIPT_DIR/_common.sh"`.
# shellcheck shell=bash

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
DRY_RUN=false

die() {
  printf '%s: error: %s\n' "$(basename "$0")" "$*" >&2
  exit 1
}

info() {
  printf '==> %s\n' "$*" >&2
}

# Fails, naming the option, when an option that takes a value has none: `need_value "$1" "${2-}"`.
need_value() {
  if [[ -z "${2-}" || "${2-}" == --* ]]; then
    die "$1 needs a value (see --help)"
  fi
}

need_command() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' is not on PATH. $2"
}

need_sf() {
  need_command sf 'Install the Salesforce CLI v2 (npm install --global @salesforce/cli) and try again.'
}

# Runs a command, or only prints it with --dry-run (so a run can be checked without an org).
run() {
  if [[ "$DRY_RUN" == true ]]; then
    printf '[dry-run]' >&2
    printf ' %q' "$@" >&2
    printf '\n' >&2
    return 0
  fi
  "$@"
}

# Prints the value at a dotted path (e.g. result.Id) of the JSON on stdin; fails when it is absent.
json_get() {
  node -e '
    let text = "";
    process.stdin.on("data", (chunk) => (text += chunk)).on("end", () => {
      const value = process.argv[1].split(".").reduce((node, key) => (node == null ? node : node[key]), JSON.parse(text));
      if (value === undefined || value === null || value === "") process.exit(1);
      process.stdout.write(String(value));
    });' "$1"
}
