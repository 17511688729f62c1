#!/bin/sh
# A stand-in speech recogniser for CommandTranscriber's tests. Executed directly (argv[0]),
# never through a shell command line. The first argument chooses what it does:
#   echo ARGS…             print each argument on its own line
#   json WAV               print {"result": [{"text": …}], "bytes": size of WAV}
#   fail WAV               complain on stderr and exit with status 3
#   hang WAV PIDFILE       start a grandchild, write both pids to PIDFILE, wait forever
#   stubborn WAV PIDFILE   like hang, but ignore SIGTERM
mode=$1; shift
case "$mode" in
echo) printf '%s\n' "$@" ;;
json) printf '{"result": [{"text": "  hello json  "}], "bytes": "%s"}\n' "$(wc -c < "$1")" ;;
fail) echo "acoustic model exploded" >&2; exit 3 ;;
hang|stubborn)
    [ "$mode" = stubborn ] && trap '' TERM
    sleep 600 &
    echo "$$ $!" > "$2"
    wait ;;
*) echo "unknown mode $mode" >&2; exit 64 ;;
esac
