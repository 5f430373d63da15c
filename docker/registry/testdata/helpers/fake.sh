#!/bin/sh
# A fake docker credential helper for the registry tests. What "get" answers
# depends on the server address read from standard input.
case "$1" in
get)
	read -r server
	case "$server" in
	ok.example | https://ok.example | gcr.example)
		printf '{"ServerURL":"%s","Username":"user-for-%s","Secret":"pw-from-helper"}\n' "$server" "$server" ;;
	token.example)
		printf '{"ServerURL":"%s","Username":"<token>","Secret":"identity-from-helper"}\n' "$server" ;;
	https://index.docker.io/v1/)
		printf '{"ServerURL":"%s","Username":"hubuser","Secret":"hub-from-helper"}\n' "$server" ;;
	fail.example)
		echo "the keychain is locked"
		exit 1 ;;
	leak.example)
		printf '{"Username":"alice","Secret":"leaked-from-helper"}\n'
		exit 1 ;;
	quiet.example)
		exit 4 ;;
	garbage.example)
		echo "this is not json" ;;
	huge.example)
		head -c 1100000 /dev/zero | tr '\0' 'a' ;;
	sleep.example)
		exec sleep 60 ;;
	grandchild.example)
		# The shell is killed on cancel; the sleep keeps stdout open.
		sleep 4
		echo late ;;
	background.example)
		# Exits at once, but a background process keeps stdout open.
		sleep 3 &
		printf '{"Username":"bg","Secret":"pw-from-helper"}\n' ;;
	notfound-ok.example)
		echo "credentials not found in native keychain" ;;
	*)
		echo "credentials not found in native keychain"
		exit 1 ;;
	esac ;;
list)
	printf '{"token.example":"<token>","ok.example":"user-for-ok.example"}\n' ;;
*)
	echo "unknown action $1" >&2
	exit 1 ;;
esac
