/*
 * echoargs: the exec target of test_proc. Exits with status 42 if it was
 * started as `echoargs hello world` (argc 3), else prints what it got and
 * exits with 1.
 */
#include <stdio.h>
#include <string.h>

#define ECHOARGS_OK 42

/* main: check argv, answer with the exit status. */
int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "hello") == 0 && strcmp(argv[2], "world") == 0)
        return ECHOARGS_OK;
    printf("echoargs: argc=%d", argc);
    for (int i = 0; i < argc; i++)
        printf(" [%s]", argv[i] ? argv[i] : "(null)");
    printf("\n");
    return 1;
}
