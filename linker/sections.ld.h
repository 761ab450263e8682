/*
 * The sections of every image, written once. A layout file
 * (linker/<board>-<layout>.ld.S) includes this after it has given:
 *
 *   MEMORY and three region aliases:
 *     CODE   where .text and read-only data run (RAM, or flash for XIP)
 *     DATA   where .data, .bss and the stacks live (RAM)
 *     LOAD   where .data's initial values are loaded (DATA itself in a
 *            RAM image, flash in a flash image; reset copies them over)
 *   LAYOUT_CPUS_MAX   how many CPUs get mode stacks
 *   __dma_start, __dma_end   the memory a device may reach (drivers/dma.h)
 *
 * Text, read-only data and writable data each start on a page boundary,
 * in segments of their own (PHDRS), so the MMU or MPU can give each its
 * permissions: text read-only and executable, the rest never executable.
 * Each mode stack has a page below it that nothing is placed in: its
 * guard page, which the MMU leaves unmapped.
 */
OUTPUT_FORMAT("elf32-littlearm")
OUTPUT_ARCH(arm)
ENTRY(_start)

LAYOUT_PAGE = 4096;

/* Exception-mode stacks of each CPU; the SVC stack is that CPU's main
 * context. Whole pages, so that each one's guard gap stays a page. */
SVC_STACK_SIZE = 16K;
IRQ_STACK_SIZE = 4K;
ABT_STACK_SIZE = 4K;   /* fault reports call printf on these two */
UND_STACK_SIZE = 4K;
MODE_STACK_GUARD = LAYOUT_PAGE;
__mode_stack_guard = MODE_STACK_GUARD;   /* its size, for the MMU or MPU and the fault report */

PHDRS
{
    text   PT_LOAD FLAGS(5);    /* r-x */
    rodata PT_LOAD FLAGS(4);    /* r-- */
    data   PT_LOAD FLAGS(6);    /* rw- */
    /* rw-, nothing in the file: its own segment, so that in a flash image
     * (.data loaded from LOAD) it is placed where it runs. */
    bss    PT_LOAD FLAGS(6);
}

SECTIONS
{
    .text : {
        __code_start = .;          /* code and read-only data, to __code_end */
        KEEP(*(.vectors))          /* first, aligned as VBAR (or M profile's VTOR) needs */
        *(.text.boot)
        *(.text .text.*)
    } >CODE :text

    .rodata : ALIGN(LAYOUT_PAGE) {
        __rodata_start = .;        /* the end of the executable part */
        *(.rodata .rodata.*)
    } >CODE :rodata

    /* Where each coroutine stack's guard page is (boot/guard.h). */
    .guarded_stacks : ALIGN(4) {
        __guarded_stacks_start = .;
        KEEP(*(.guarded_stacks))
        __guarded_stacks_end = .;
    } >CODE :rodata

    /* Unwind tables newlib's objects may carry; gdb uses .debug_frame. */
    .ARM.exidx : {
        __exidx_start = .;
        *(.ARM.exidx* .gnu.linkonce.armexidx.*)
        __exidx_end = .;
    } >CODE :rodata

    .init_array : {
        __init_array_start = .;
        KEEP(*(SORT_BY_INIT_PRIORITY(.init_array.*)))
        KEEP(*(.init_array))
        __init_array_end = .;
        __code_end = .;
    } >CODE :rodata

    /* Runs in DATA, loaded in LOAD: reset copies it from __data_load to
     * __data_start (the same address in a RAM image: the copy is skipped). */
    .data : ALIGN(LAYOUT_PAGE) {
        __data_start = .;
        *(.data .data.*)
        . = ALIGN(8);
        __data_end = .;
    } >DATA AT>LOAD :data
    __data_load = LOADADDR(.data);

    /* Zeroed by reset, not by the loader: flash images have no room for it. */
    .bss (NOLOAD) : ALIGN(8) {
        __bss_start = .;
        *(.bss .bss.* COMMON)
        . = ALIGN(8);
        __bss_end = .;
    } >DATA AT>DATA :bss

    /* Coroutine stacks (CO_DEFINE, the coroutine pool): never loaded, never
     * zeroed; each above a guard page of its own (boot/guard.h), each
     * stack's lowest word holds its guard canary. */
    .stacks (NOLOAD) : ALIGN(LAYOUT_PAGE) {
        *(.stacks .stacks.*)
        . = ALIGN(8);
    } >DATA AT>DATA :bss

    /* Each CPU's mode stacks, CPU n's at n * __mode_stacks_cpu_stride past
     * CPU 0's, which the symbols name. Each grows down from its *_top,
     * above a guard gap; the SVC stack's guard word sits at
     * __svc_stack_limit. */
    .mode_stacks (NOLOAD) : ALIGN(LAYOUT_PAGE) {
        __mode_stacks_start = .;
        . += MODE_STACK_GUARD; __und_stack_limit = .; . += UND_STACK_SIZE; __und_stack_top = .;
        . += MODE_STACK_GUARD; __abt_stack_limit = .; . += ABT_STACK_SIZE; __abt_stack_top = .;
        . += MODE_STACK_GUARD; __irq_stack_limit = .; . += IRQ_STACK_SIZE; __irq_stack_top = .;
        . += MODE_STACK_GUARD; __svc_stack_limit = .; . += SVC_STACK_SIZE; __svc_stack_top = .;
        __mode_stacks_cpu_stride = ABSOLUTE(. - __mode_stacks_start);
        . = __mode_stacks_start + __mode_stacks_cpu_stride * LAYOUT_CPUS_MAX;
        __mode_stacks_end = .;
    } >DATA AT>DATA :bss
}

__mode_stacks_cpus = LAYOUT_CPUS_MAX;

/* The lowest address a device may write for a caller (drivers/dma.h): past
 * the code where the code opens the memory devices reach (a RAM image),
 * that memory's start where the code lies outside it (flash). */
__dma_write_start = __code_start == __dma_start ? __code_end : __dma_start;
ASSERT(__code_start == __dma_start || __code_end <= __dma_start || __code_start >= __dma_end,
       "code inside the memory devices reach must open it: drivers/dma.h keeps devices from writing it")

ASSERT(ADDR(.text) == ORIGIN(CODE), "the vector table must be the first thing in CODE")
ASSERT(ADDR(.rodata) % LAYOUT_PAGE == 0 && ADDR(.data) % LAYOUT_PAGE == 0, "text, read-only data and data must start on pages of their own")
ASSERT((UND_STACK_SIZE | ABT_STACK_SIZE | IRQ_STACK_SIZE | SVC_STACK_SIZE) % LAYOUT_PAGE == 0, "mode stacks must be whole pages")

/* There is no heap. newlib's allocating functions link only if something
 * calls them: refuse them all, the ones that allocate for their caller
 * (strdup, asprintf, ...) as well as malloc itself. newlib's stdio keeps
 * its own small arena (boot/syscalls.c), which none of these can reach. */
ASSERT(!DEFINED(malloc) && !DEFINED(calloc) && !DEFINED(realloc) && !DEFINED(reallocf) &&
       !DEFINED(memalign) && !DEFINED(posix_memalign) && !DEFINED(valloc) &&
       !DEFINED(strdup) && !DEFINED(strndup) && !DEFINED(asprintf) && !DEFINED(vasprintf) &&
       !DEFINED(open_memstream),
       "malloc or a function that allocates (strdup, asprintf, ...) linked: this kernel has no heap; use CO_DEFINE, the coroutine pool or static buffers")
