/*
 * tests/unit/libc rename.h: forced (-include) into the host build of the
 * libc/libsys sources under test (not into the tests), so Crucible's
 * functions get an lc_ prefix and never replace the host C library's own
 * (the harness uses glibc's printf and malloc). Tests call lc_* (lc.h).
 */
#define memset   lc_memset
#define memcpy   lc_memcpy
#define memmove  lc_memmove
#define memcmp   lc_memcmp
#define memchr   lc_memchr
#define strlen   lc_strlen
#define strnlen  lc_strnlen
#define strcmp   lc_strcmp
#define strncmp  lc_strncmp
#define strcpy   lc_strcpy
#define strncpy  lc_strncpy
#define strlcpy  lc_strlcpy
#define strlcat  lc_strlcat
#define strcat   lc_strcat
#define strncat  lc_strncat
#define strchr   lc_strchr
#define strrchr  lc_strrchr
#define strstr   lc_strstr
#define strspn   lc_strspn
#define strcspn  lc_strcspn
#define strdup   lc_strdup
#define strerror lc_strerror
#define isdigit  lc_isdigit
#define isxdigit lc_isxdigit
#define isalpha  lc_isalpha
#define isalnum  lc_isalnum
#define isspace  lc_isspace
#define isupper  lc_isupper
#define islower  lc_islower
#define isprint  lc_isprint
#define ispunct  lc_ispunct
#define iscntrl  lc_iscntrl
#define toupper  lc_toupper
#define tolower  lc_tolower
#define strtol   lc_strtol
#define strtoul  lc_strtoul
#define atoi     lc_atoi
#define atol     lc_atol
#define abs      lc_abs
#define labs     lc_labs
#define vsnprintf lc_vsnprintf
#define snprintf lc_snprintf
#define malloc   lc_malloc
#define free     lc_free
#define calloc   lc_calloc
#define realloc  lc_realloc
#define errno    lc_errno
