/*
 * Functions that allocate for their caller are refused too.
 *
 * runner: expect='function that allocates \(strdup, asprintf, ...\) linked: this kernel has no heap'
 */
#include <stdlib.h>
#include <string.h>

int main(void)
{
    char *copy = strdup("copy");
    int failed = copy == NULL;

    free(copy);
    return failed;
}
