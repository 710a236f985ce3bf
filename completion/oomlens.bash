# bash completion for oomlens(1).
#
# The commands and their options come from the installed binary itself
# ('oomlens -h' and 'oomlens COMMAND -h'), so a new command or option
# completes without a change here.

_oomlens_commands()
{
	"$1" -h 2>/dev/null |
		sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p'
}

_oomlens_options()
{
	"$1" "$2" -h 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u
}

_oomlens()
{
	local bin=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]}
	local prev= cmd= i dashdash=

	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	command -v "$bin" >/dev/null 2>&1 || bin=oomlens
	# the command: the first word that is neither a global option nor
	# the argument of --db
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--db) ((i++)) ;;
		-*) ;;
		*)
			cmd=${COMP_WORDS[i]}
			break
			;;
		esac
	done
	# a command's options may follow its operands, up to a "--"
	for ((i++; i < COMP_CWORD; i++)); do
		[[ ${COMP_WORDS[i]} == -- ]] && dashdash=1
	done

	case $prev in
	--db | -o | --output | --proc | --cgroup | --journal-dir)
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
		return
		;;
	--format)
		COMPREPLY=($(compgen -W "ecs hec otel csv" -- "$cur"))
		return
		;;
	--by)
		COMPREPLY=($(compgen -W "victim culprit cause host unit" -- "$cur"))
		return
		;;
	--host | --since | --until | --event | --adj | --limit | --top | \
	--victim | --killer | -n | --lines | -j | --jobs)
		return
		;;
	esac

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--db --help --version -V" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_oomlens_commands "$bin") help" -- "$cur"))
		fi
		return
	fi
	if [[ $cmd == help ]]; then
		COMPREPLY=($(compgen -W "$(_oomlens_commands "$bin")" -- "$cur"))
	elif [[ $cur == -* && -z $dashdash ]]; then
		COMPREPLY=($(compgen -W "$(_oomlens_options "$bin" "$cmd") -h" -- "$cur"))
	elif [[ $cmd == ingest ]]; then
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
	fi
}

complete -F _oomlens oomlens
