# bash completion for capprof                                -*- shell-script -*-
# Installed as share/bash-completion/completions/capprof; works with or
# without the bash-completion package's helper functions.

# Capability names in Docker's spelling (capabilities(7), Linux 5.9+).
_capprof_capabilities="CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID
SETUID SETPCAP LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW
IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN
SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE
AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND
AUDIT_READ PERFMON BPF CHECKPOINT_RESTORE ALL"

_capprof_common_opts="--cap-add --user --json --report --format --probe
--ready-timeout --duration --expect-exit --no-pin --isolate --no-isolate --probe-inside --unit
--image --docker-arg --entrypoint --pull
-v --verbose -q --quiet -h --help"

# Completes the last item of a comma-separated capability list.
_capprof_complete_caps() {
    local cur=$1 prefix="" item=$1
    if [[ $cur == *,* ]]; then
        prefix=${cur%,*},
        item=${cur##*,}
    fi
    local upper=${item^^}
    local cap
    COMPREPLY=()
    for cap in $_capprof_capabilities; do
        [[ $cap == "$upper"* ]] && COMPREPLY+=("$prefix$cap")
    done
    # Keep completing after a comma without a space.
    compopt -o nospace 2>/dev/null
}

# USER or USER:GROUP.
_capprof_complete_user() {
    local cur=$1
    if [[ $cur == *:* ]]; then
        local user=${cur%%:*}
        COMPREPLY=($(compgen -P "$user:" -g -- "${cur#*:}"))
    else
        COMPREPLY=($(compgen -u -- "$cur"))
    fi
}

_capprof_complete_pids() {
    local dir pids=()
    for dir in /proc/[0-9]*; do pids+=("${dir#/proc/}"); done
    COMPREPLY=($(compgen -W "${pids[*]}" -- "$1"))
}

_capprof() {
    local cur prev words cword
    if declare -F _init_completion >/dev/null; then
        # -n := keeps USER:GROUP and CAP=... in one word.
        _init_completion -n := || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi

    # The subcommand, and whether "--" (the workload's command line) was seen.
    local i command="" dashdash=0
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            --) if [[ -n $command ]]; then dashdash=$i; break; fi ;;
            run | minimize | check | decode | inspect | rules)
                [[ -z $command ]] && command=${words[i]} ;;
        esac
    done

    # After "--": complete the workload's command, then its own arguments.
    if ((dashdash > 0)); then
        if declare -F _command_offset >/dev/null; then
            _command_offset $((dashdash + 1))
        elif ((cword == dashdash + 1)); then
            COMPREPLY=($(compgen -c -- "$cur"))
        else
            COMPREPLY=($(compgen -f -- "$cur"))
        fi
        return
    fi

    if [[ -z $command ]]; then
        COMPREPLY=($(compgen -W "run minimize check decode inspect rules --help --version" -- "$cur"))
        return
    fi

    case $prev in
        --cap-add)
            _capprof_complete_caps "$cur"
            return ;;
        --allow)
            _capprof_complete_caps "$cur"
            [[ none == "$cur"* ]] && COMPREPLY+=(none)
            return ;;
        --syscall)
            return ;;
        --user)
            _capprof_complete_user "$cur"
            # readline replaces only the text after ':' (COMP_WORDBREAKS).
            declare -F __ltrim_colon_completions >/dev/null &&
                __ltrim_colon_completions "$cur"
            return ;;
        --json | --report | --allow-file)
            COMPREPLY=($(compgen -f -- "$cur"))
            compopt -o filenames 2>/dev/null
            return ;;
        --format)
            COMPREPLY=($(compgen -W "text docker compose k8s systemd" -- "$cur"))
            return ;;
        --probe)
            COMPREPLY=($(compgen -c -- "$cur"))
            return ;;
        --image)
            # Local images only: capprof pulls nothing unless --pull.
            COMPREPLY=($(compgen -W "$(docker image ls --format '{{.Repository}}:{{.Tag}}' 2>/dev/null |
                grep -v '<none>')" -- "$cur"))
            __ltrim_colon_completions "$cur" 2>/dev/null
            return ;;
        --entrypoint)
            COMPREPLY=($(compgen -c -- "$cur"))
            return ;;
        --unit)
            # Unit files by path, or service names as systemd finds them.
            local names="" dir
            for dir in /etc/systemd/system /run/systemd/system /lib/systemd/system; do
                names+=" $(cd "$dir" 2>/dev/null && compgen -G '*.service')"
            done
            COMPREPLY=($(compgen -W "$names" -- "$cur") $(compgen -f -- "$cur"))
            return ;;
        --ready-timeout | --duration | --expect-exit | --docker-arg)
            return ;;
    esac

    case $command in
        run | minimize)
            COMPREPLY=($(compgen -W "$_capprof_common_opts --" -- "$cur")) ;;
        check)
            COMPREPLY=($(compgen -W "$_capprof_common_opts --allow --allow-file --skip-unused --strict --" -- "$cur")) ;;
        inspect)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "-h --help" -- "$cur"))
            else
                _capprof_complete_pids "$cur"
            fi ;;
        rules)
            COMPREPLY=($(compgen -W "--syscall --json -h --help" -- "$cur")) ;;
        decode)
            COMPREPLY=($(compgen -W "-h --help" -- "$cur")) ;;
    esac
}

complete -F _capprof capprof
