/* fcgi_handle.h - serves one FastCGI request: routing, body reading and
 * validation, the handler, the response, statistics and the log line. */
#ifndef FCGI_HANDLE_H
#define FCGI_HANDLE_H

#include <fcgiapp.h>

#include "fcgi_worker.h"

/* Serves fr (borrowed; the caller finishes it). Never fails: every error
 * becomes an HTTP error response. */
void fcgi_handle(FCGX_Request *fr, struct fcgi_worker_ctx *w);

#endif
