# bash completion for oomdiag(1)                     -*- shell-script -*-
# SPDX-License-Identifier: GPL-2.0
# Install as /usr/share/bash-completion/completions/oomdiag

_oomdiag()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi

	local commands="status buddy gfp top events trace explain metrics record help"
	local global="--json --pretty --no-module --no-color --help --version"
	local common="--json --pretty --no-module --no-color --help"

	# the command is the first word that is not a global option
	local i cmd=
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-*) ;;
		*) cmd=${words[i]}; break ;;
		esac
	done

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$global" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi

	case $prev in
	--kernel|-k)
		if [[ $cmd == gfp ]]; then
			COMPREPLY=($(compgen -W "2.6.32 3.10 4.4 4.6 4.9 4.10 4.14 4.15 4.19 5.4 5.10
				5.15 6.1 6.6 6.10 6.12 6.13 7.2 $(uname -r 2>/dev/null)" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "alloc_fail warn_alloc oom_kill oom_victim
				vm_refused slow_alloc" -- "$cur"))
		fi
		return ;;
	--order|-o|--min-order)
		COMPREPLY=($(compgen -W "0 1 2 3 4 5 6 7 8 9 10" -- "$cur"))
		return ;;
	--watch|-w|--interval|-i|--duration|--slow-ms|--samples|--count|-c|-n)
		return ;;
	--pid)
		COMPREPLY=($(compgen -W "$(ls /proc 2>/dev/null | grep -E '^[0-9]+$')" -- "$cur"))
		return ;;
	--cgroup|--cpuset)
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	--nodes)
		COMPREPLY=($(compgen -W "$(ls /sys/devices/system/node 2>/dev/null | sed -n 's/^node\([0-9][0-9]*\)$/\1/p')" -- "$cur"))
		return ;;
	esac

	case $cmd in
	status)
		COMPREPLY=($(compgen -W "$common" -- "$cur")) ;;
	metrics)
		COMPREPLY=($(compgen -W "$common --openmetrics" -- "$cur")) ;;
	record)
		COMPREPLY=($(compgen -W "$common --state --interval --jsonl --jsonl-max-mb --jsonl-keep --textfile --textfile-interval --once --no-journal --journal-socket --no-mlock" -- "$cur")) ;;
	buddy)
		COMPREPLY=($(compgen -W "$common --watch --count" -- "$cur")) ;;
	top)
		COMPREPLY=($(compgen -W "$common -n --all --cgroup --cgroups --cpuset --nodes" -- "$cur")) ;;
	events)
		COMPREPLY=($(compgen -W "$common --follow --interval -n --kind --explain --records" -- "$cur")) ;;
	gfp)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$common --order --kernel --list-kernels" -- "$cur"))
		else
			# flag names, after the last '|'
			local pre=${cur%|*} last=${cur##*|}
			[[ $pre == "$cur" ]] && pre= || pre="$pre|"
			local names="GFP_KERNEL GFP_KERNEL_ACCOUNT GFP_ATOMIC GFP_NOWAIT GFP_NOIO
				GFP_NOFS GFP_USER GFP_DMA GFP_DMA32 GFP_HIGHUSER GFP_HIGHUSER_MOVABLE
				GFP_TRANSHUGE GFP_TRANSHUGE_LIGHT __GFP_DMA __GFP_HIGHMEM __GFP_DMA32
				__GFP_MOVABLE __GFP_RECLAIMABLE __GFP_HIGH __GFP_IO __GFP_FS __GFP_ZERO
				__GFP_ATOMIC __GFP_DIRECT_RECLAIM __GFP_KSWAPD_RECLAIM __GFP_RECLAIM
				__GFP_WRITE __GFP_NOWARN __GFP_RETRY_MAYFAIL __GFP_NOFAIL __GFP_NORETRY
				__GFP_MEMALLOC __GFP_COMP __GFP_NOMEMALLOC __GFP_HARDWALL
				__GFP_THISNODE __GFP_ACCOUNT __GFP_ZEROTAGS __GFP_NO_OBJ_EXT"
			local list
			list=$(printf '%s\n' $names)
			local IFS=$'\n'
			COMPREPLY=($(compgen -P "$pre" -W "$list" -- "$last"))
		fi ;;
	trace)
		COMPREPLY=($(compgen -W "$common --records --explain --duration --pid --cgroup --min-order
			--slow-ms --samples --latency -v" -- "$cur")) ;;
	explain)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$common" -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi ;;
	help)
		COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
	esac
}
complete -F _oomdiag oomdiag
