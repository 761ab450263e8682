/*
 * There is no heap: an image that calls malloc() must not link.
 *
 * runner: expect='malloc or a function that allocates.*this kernel has no heap'
 */
#include <stdlib.h>

int main(void)
{
    char *p = malloc(16);
    int failed = p == NULL;

    free(p);
    return failed;
}
