#!/usr/bin/env bash
# Fails when two of the agent's object files call each other, directly (a <-> b) or around a
# circle of any length (issue 14 item 4: agent.c and sched.c once did). Calls are read from the
# objects' symbol tables: an undefined symbol of a.o that b.o defines is a call from a to b.
#   check_calls.sh BUILD_DIR OBJ...      (object names without .o)
set -euo pipefail
dir=$1
shift
declare -A calls
for a in "$@"; do
    undefined=$(nm -u "$dir/$a.o" | awk '{print $2}' | sort -u)
    for b in "$@"; do
        [[ $a == "$b" ]] && continue
        if comm -12 <(echo "$undefined") <(nm --defined-only -g "$dir/$b.o" | awk '{print $3}' | sort -u) | grep -q .; then
            calls[$a]+=" $b"
        fi
    done
done
# Depth-first search for a cycle in the call graph.
declare -A state
cycle=""
visit() {
    local n=$1 m
    state[$n]=active
    for m in ${calls[$n]:-}; do
        if [[ ${state[$m]:-} == active ]]; then
            cycle="$m <- $n"
            return 1
        fi
        if [[ -z ${state[$m]:-} ]]; then
            visit "$m" || { cycle="$cycle <- $n"; return 1; }
        fi
    done
    state[$n]=done
}
for n in "$@"; do
    if [[ -z ${state[$n]:-} ]] && ! visit "$n"; then
        echo "check_calls: the agent's files call each other in a circle: $cycle" >&2
        exit 1
    fi
done
echo "check_calls: no circle among $# object files"
