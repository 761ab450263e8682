# For a fault whose report must name something only the image knows at
# run time (a CPU number, a pool slot): the image prints "the report must
# say: TEXT" before it faults, and a line of the report must hold TEXT.
setup() {
    :
}

check() {
    local console=$RUN_DIR/console.log expected
    expected=$(sed -n 's/^the report must say: \(.*\)\r\{0,1\}$/\1/p' "$console" | tr -d '\r')
    if [[ -z $expected ]]; then
        echo "the image did not say what the report must say"
        return 1
    fi
    if ! grep -v '^the report must say: ' "$console" | grep -qF -- "$expected"; then
        echo "the report does not say: $expected"
        return 1
    fi
}
