/*
 * replay_main.c: the plain replay driver, linked with one harness instead of
 * a fuzzing engine. Usage:
 *
 *   <harness>_replay [-v] PATH...
 *
 * Each PATH is a file (one input) or a directory (every regular file in it,
 * in name order). -v prints the decoded steps (fz_trace). Exit status: 0 if
 * every input ran; 2 for a usage error or a missing / unreadable path (one
 * line on stderr); a failing input abort()s (fz_fail) with its report.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_common.h"

#define REPLAY_MAX_BYTES (1u << 20)

/* Runs the harness on one file; returns 0, or 2 if it cannot be read. */
static int run_file(const char *path)
{
    static uint8_t buf[REPLAY_MAX_BYTES];
    FILE *f = fopen(path, "rb");
    size_t n;

    if (!f) {
        fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
        return 2;
    }
    n = fread(buf, 1, sizeof(buf), f);
    if (ferror(f)) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        fclose(f);
        return 2;
    }
    fclose(f);
    if (fz_trace)
        fprintf(stderr, "replay: %s (%zu bytes)\n", path, n);
    LLVMFuzzerTestOneInput(buf, n);
    return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* Runs every regular file of a directory; returns 0 or 2. */
static int run_dir(const char *dir, int *count)
{
    struct dirent **ents;
    int n = scandir(dir, &ents, NULL, by_name), i, status = 0;

    if (n < 0) {
        fprintf(stderr, "replay: cannot list %s: %s\n", dir, strerror(errno));
        return 2;
    }
    for (i = 0; i < n; i++) {
        char path[4096];
        struct stat st;

        snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
        if (ents[i]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            if (run_file(path) != 0)
                status = 2;
            (*count)++;
        }
        free(ents[i]);
    }
    free(ents);
    return status;
}

int main(int argc, char **argv)
{
    int i, status = 0, count = 0, paths = 0;

    for (i = 1; i < argc; i++) {
        struct stat st;

        if (strcmp(argv[i], "-v") == 0) {
            fz_trace = 1;
            continue;
        }
        paths++;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
            status = 2;
        } else if (S_ISDIR(st.st_mode)) {
            if (run_dir(argv[i], &count) != 0)
                status = 2;
        } else {
            if (run_file(argv[i]) != 0)
                status = 2;
            count++;
        }
    }
    if (!paths) {
        fprintf(stderr, "usage: %s [-v] FILE|DIR...\n", argv[0]);
        return 2;
    }
    fprintf(stderr, "replay: %d input(s) ran%s\n", count, status ? " (some paths failed)" : "");
    return status;
}
