/* fcgi_api.h - the endpoint handlers named in the route table. Each fills
 * the response of req and returns 0, or returns -1 with err filled. */
#ifndef FCGI_API_H
#define FCGI_API_H

#include "fcgi_http.h"
#include "sopm_err.h"

int api_functions_list(struct fcgi_req *req, struct sopm_err *err);
int api_functions_get(struct fcgi_req *req, struct sopm_err *err);
int api_execute(struct fcgi_req *req, struct sopm_err *err);
int api_status(struct fcgi_req *req, struct sopm_err *err);
int api_stats(struct fcgi_req *req, struct sopm_err *err);
int api_metrics(struct fcgi_req *req, struct sopm_err *err);
int api_healthz(struct fcgi_req *req, struct sopm_err *err);
int api_readyz(struct fcgi_req *req, struct sopm_err *err);
int api_user_functions_create(struct fcgi_req *req, struct sopm_err *err);
int api_user_functions_update(struct fcgi_req *req, struct sopm_err *err);
int api_user_functions_list(struct fcgi_req *req, struct sopm_err *err);
int api_user_functions_get(struct fcgi_req *req, struct sopm_err *err);
int api_user_functions_delete(struct fcgi_req *req, struct sopm_err *err);
int api_user_functions_execute(struct fcgi_req *req, struct sopm_err *err);

#endif
