#!/bin/sh
# Print the Debian archive URL this machine's apt is configured with, so the
# project follows whatever mirror or proxy the machine uses and never names a
# host itself.  deb822 sources first, then the one-line format.
set -eu

mirror=""
for f in /etc/apt/sources.list.d/*.sources; do
	[ -r "$f" ] || continue
	# First URIs: line of a stanza whose Suites do not end in -security.
	mirror=$(awk '
		/^[[:space:]]*$/ { if (uri != "" && !sec) { print uri; exit } uri = ""; sec = 0; next }
		/^URIs:/ { uri = $2 }
		/^Suites:/ { for (i = 2; i <= NF; i++) if ($i ~ /-security$/) sec = 1 }
		END { if (uri != "" && !sec) print uri }
	' "$f" | head -n1)
	[ -n "$mirror" ] && break
done
if [ -z "$mirror" ]; then
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		mirror=$(awk '$1 == "deb" && $0 !~ /security/ {
			for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit }
		}' "$f" | head -n1)
		[ -n "$mirror" ] && break
	done
fi
if [ -z "$mirror" ]; then
	echo "debian-mirror: no Debian archive URL in /etc/apt/sources.list*; configure apt first" >&2
	exit 1
fi
echo "${mirror%/}"
