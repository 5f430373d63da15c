#!/bin/sh
# A fake docker credential helper that always fails.
echo "broken helper cannot $1"
exit 3
