#include <stdio.h>

int main(void)
{
    printf("hello from the coroutine kernel\n");
    return 0;
}
