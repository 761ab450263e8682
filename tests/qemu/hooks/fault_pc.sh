# For a fault the image provokes on purpose: it prints the faulting
# instruction's address ("faulting instruction at pc=0x...") before it
# faults, and the fault report must name the same pc.
setup() {
    :
}

check() {
    local console=$RUN_DIR/console.log expected reported
    expected=$(sed -n 's/^faulting instruction at \(pc=0x[0-9a-f]*\)$/\1/p' "$console")
    reported=$(sed -n 's/^\*\*\* FAULT: .* at \(pc=0x[0-9a-f]*\) .*/\1/p' "$console")
    if [[ -z $expected || $expected != "$reported" ]]; then
        echo "the image faulted at ${expected:-?}, the report says ${reported:-nothing}"
        return 1
    fi
}
