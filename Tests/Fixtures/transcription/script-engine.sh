#!/bin/sh
# A stand-in speech recogniser for CommandTranscriber's tests. Executed directly (argv[0]),
# never through a shell command line. The first argument chooses what it does:
#   echo ARGS…             print each argument on its own line
#   json WAV               print {"result": [{"text": "  hello json  "}]}
#   copy WAV DEST          copy the clip to DEST and print "copied"
#   fail WAV               complain on stderr and exit with status 3
#   hang WAV PIDFILE       start a grandchild, write both pids to PIDFILE, wait forever
#   stubborn WAV PIDFILE   like hang, but ignore SIGTERM
#   orphan WAV PIDFILE     leave a grandchild holding stdout open, print "finished", exit 0
mode=$1; shift
case "$mode" in
echo) printf '%s\n' "$@" ;;
json) printf '{"result": [{"text": "  hello json  "}]}\n' ;;
copy) cp "$1" "$2" && echo copied ;;
fail) echo "acoustic model exploded" >&2; exit 3 ;;
hang|stubborn)
    [ "$mode" = stubborn ] && trap '' TERM
    sleep 600 &
    echo "$$ $!" > "$2"
    wait ;;
orphan)
    sleep 600 &
    echo "$$ $!" > "$2"
    echo finished ;;
*) echo "unknown mode $mode" >&2; exit 64 ;;
esac
