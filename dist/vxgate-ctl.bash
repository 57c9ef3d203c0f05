# SPDX-License-Identifier: BSD-3-Clause
# bash completion for vxgate-ctl: its options, and the shell's commands word by word.
# The commands come from the running daemon's `help`, so that they are always its own;
# when no daemon answers (not running, or the socket is not this user's), from the list
# in _vxgate_ctl_static, which tests/pcap/core_service_test.sh holds equal to `help`.

# The fixed words of every command, one command a line; arguments (upper case in `help`)
# are left out.
_vxgate_ctl_static()
{
	cat <<'CMDS'
capture start
capture stop
clear conntrack
clear fdb
clear nat sessions
clear stats
help
quit
reload
show capture
show config
show conntrack
show control
show dhcp leases
show dhcp stats
show dhcp6 leases
show dhcp6 stats
show evpn
show evpn macs
show evpn vnis
show fdb
show host
show interfaces
show memory
show nat
show nat sessions
show neighbours
show qos
show ra
show route
show router
show security-groups
show service
show stats
show trace
show version
show vtep
shutdown
trace clear
trace start
trace stop
CMDS
}

# `help` on stdin ("  show fdb NETWORK: what it shows") to the form above.
_vxgate_ctl_parse_help()
{
	local line w out
	while IFS= read -r line; do
		line=${line%%:*}
		out=
		for w in $line; do
			[[ $w == *[[:upper:]]* ]] && break
			out+=${out:+ }$w
		done
		[[ -n $out ]] && printf '%s\n' "$out"
	done | LC_ALL=C sort -u
}

_vxgate_ctl()
{
	local cur prev words cword
	_init_completion || return

	local i skip=0 sock=() args=()
	for ((i = 1; i < cword; i++)); do
		if ((skip)); then
			sock=(-s "${words[i]}")
			skip=0
			continue
		fi
		case ${words[i]} in
		-s) skip=1 ;;
		-j) ;;
		*) args+=("${words[i]}") ;;
		esac
	done
	if [[ $prev == -s ]]; then
		_filedir
		return
	fi
	if ((${#args[@]} == 0)) && [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W '-s -j' -- "$cur")
		return
	fi
	if [[ ${args[0]:-} == reload ]] && ((${#args[@]} == 1)); then
		_filedir '@(yaml|yml)'
		return
	fi

	local cmds line cand=() cw n=${#args[@]}
	cmds=$(timeout 2 vxgate-ctl "${sock[@]}" help 2>/dev/null | _vxgate_ctl_parse_help)
	[[ -n $cmds ]] || cmds=$(_vxgate_ctl_static)
	while read -r line; do
		read -ra cw <<<"$line"
		((${#cw[@]} > n)) || continue
		[[ "${cw[*]:0:n}" == "${args[*]}" ]] && cand+=("${cw[n]}")
	done <<<"$cmds"
	mapfile -t COMPREPLY < <(compgen -W "${cand[*]}" -- "$cur" | LC_ALL=C sort -u)
}
complete -F _vxgate_ctl vxgate-ctl
