/* The hello driver's requests. */
#include <crucible/syslib.h>
#include <crucible/sef.h>
#include "proto.h"
#include "glo.h"

/*
 * HELLO_GET: count one more answer, store the counter in DS and answer
 * m_hello.value = the counter, m_hello.restarts = our restarts. Returns
 * OK even when DS could not store the counter (the main loop retries;
 * sanity reports the difference until then).
 */
int do_get(message *m)
{
    hello_counter++;
    (void)hello_save();
    m->m_hello.value = (int32_t)hello_counter;
    m->m_hello.restarts = hello_restarts;
    return OK;
}

/*
 * HELLO_CRASH: take a real CPU exception (sef_take_exception) so that RS
 * recovers us. Returns EGENERIC only if the store somehow survived.
 */
int do_crash(message *m)
{
    (void)m;
    sef_take_exception();
    return EGENERIC;
}
