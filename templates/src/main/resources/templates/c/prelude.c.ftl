<#-- The start of every generated C translation unit. -->
/* ---- tcc prelude (C) -------------------------------------------------------------------- */
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <math.h>
#ifdef _OPENMP
#include <omp.h>
#else
static inline int omp_get_max_threads(void) { return 1; }
static inline int omp_get_thread_num(void) { return 0; }
static inline int omp_get_num_threads(void) { return 1; }
#endif
#define TCC_INF_F ((float)INFINITY)
#define TCC_NAN_F ((float)NAN)
#define TCC_INF ((double)INFINITY)
#define TCC_NAN ((double)NAN)
#define TCC_FN static inline
/* generated code declares every launch parameter, used or not */
#pragma GCC diagnostic ignored "-Wunused-variable"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
/* below this many elements of work a kernel runs on the calling thread */
#define TCC_PAR_MIN 32768
/* a reduction over leading axes accumulates this many adjacent outputs at once (see reduce.c.ftl) */
#define TCC_COL_BLOCK 64
<#include "../common/helpers.ftl">
