#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# install-config.sh SRC DEST [SRC DEST]...: meson's install step for the files an
# administrator edits (the config, /etc/default/vxgate): each SRC is copied to
# $DESTDIR/DEST unless a file is there already, so that `make install` over an
# installation keeps what was changed. The Debian package installs into an empty tree
# (dpkg then keeps them as conffiles).
set -eu
while [ $# -ge 2 ]; do
	dest=${DESTDIR:-}$2
	if [ -e "$dest" ]; then
		echo "Keeping $dest (installed before; the new one is $1)"
	else
		mkdir -p "$(dirname "$dest")"
		cp "$1" "$dest"
		chmod 644 "$dest"
		echo "Installing $1 to $dest"
	fi
	shift 2
done
