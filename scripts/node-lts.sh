#!/usr/bin/env bash
# Node.js LTS for this project (Node 22 or 24; restify 12 needs >= 22) on a machine whose own Node
# is older. The npm registry's `node-<os>-<arch>` package carries the Node binary inside it, so it
# installs like any other package; nothing is downloaded from anywhere else.
#
#   . scripts/node-lts.sh              # source it: Node 24 first on PATH if the machine's node is < 22
#   scripts/node-lts.sh npm start      # run one command under it
#   scripts/node-lts.sh --bin 22       # print the path of a Node 22 binary (installed if missing)
#   NODE_LTS_MAJOR=24 . scripts/node-lts.sh   # exactly Node 24 first on PATH, whatever the machine has (CI)
#
# Installed once per major version under ${NODE_LTS_HOME:-$HOME/.cache/can-i-share-node}/<major>.
# `npm` is the machine's npm, run by whichever `node` is first on PATH.

_node_lts_minimum=22
_node_lts_default=24

_node_lts_package() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) echo "node-lts: no Node package for $(uname -s); install Node ${_node_lts_default} yourself" >&2; return 1 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "node-lts: no Node package for $(uname -m); install Node ${_node_lts_default} yourself" >&2; return 1 ;;
  esac
  echo "node-${os}-${arch}"
}

# Prints the bin folder of Node <major>, installing it first if needed.
_node_lts_bin_dir() {
  local major="$1" pkg dir
  pkg="$(_node_lts_package)" || return 1
  dir="${NODE_LTS_HOME:-$HOME/.cache/can-i-share-node}/${major}"
  if [ ! -x "$dir/node_modules/$pkg/bin/node" ]; then
    echo "node-lts: installing Node ${major} from the npm registry ($pkg@${major}) into $dir" >&2
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error "$pkg@${major}" >&2 || return 1
  fi
  echo "$dir/node_modules/$pkg/bin"
}

_node_lts_current_major() {
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

# Puts Node 24 first on PATH when the `node` on PATH is missing or older than 22
# (or Node $NODE_LTS_MAJOR whenever that is set and differs from the node on PATH).
_node_lts_use() {
  local bin current wanted
  current="$(_node_lts_current_major)"
  if [ -n "${NODE_LTS_MAJOR:-}" ]; then
    wanted="$NODE_LTS_MAJOR"
    [ "$current" = "$wanted" ] && return 0
  else
    [ "$current" -ge "$_node_lts_minimum" ] && return 0
    wanted="$_node_lts_default"
  fi
  bin="$(_node_lts_bin_dir "$wanted")" || return 1
  export PATH="$bin:$PATH"
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  # Sourced.
  _node_lts_use
else
  set -euo pipefail
  if [ "${1:-}" = "--bin" ]; then
    echo "$(_node_lts_bin_dir "${2:-$_node_lts_default}")/node"
    exit 0
  fi
  _node_lts_use
  if [ "$#" -eq 0 ]; then
    node --version
    exit 0
  fi
  exec "$@"
fi
