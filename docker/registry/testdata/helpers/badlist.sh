#!/bin/sh
# A fake docker credential helper whose list output is not JSON.
case "$1" in
list) echo "nope" ;;
*) echo "credentials not found in native keychain"; exit 1 ;;
esac
