/* csv.c - `csv_to_json` (Python 3.11's csv.reader / csv.DictReader over
 * io.StringIO(csv, newline="")) and `json_to_csv` (csv.DictWriter with
 * QUOTE_MINIMAL and "\r\n" line ends).
 *
 * The reader is CPython's own state machine (Modules/_csv.c, dialect
 * "excel" with a chosen delimiter): the text is cut into lines after "\n",
 * "\r\n" or a lone "\r" as StringIO does, every line's characters go
 * through the machine followed by an end-of-line event, and a record ends
 * when the machine is back at the start of a record. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_json.h"
#include "fn_limits.h"
#include "fn_unicode.h"
#include "pyrepr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int oom(struct sopm_err *err)
{
	return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
}

/* ---- the reader ---- */

#define CSV_EOL         0xFFFFFFFEu /* no code point: the end of a line */
#define CSV_FIELD_LIMIT 131072      /* csv.field_size_limit() */

enum csv_state {
	START_RECORD,
	START_FIELD,
	IN_FIELD,
	IN_QUOTED_FIELD,
	QUOTE_IN_QUOTED_FIELD,
	EAT_CRNL
};

struct csv_reader {
	enum csv_state state;
	uint32_t delim;
	struct sopm_buf field;
	size_t field_len; /* code points in field */
	json_t *fields;   /* the record being read */
	json_t *records;  /* every record: arrays of strings */
	size_t cells;     /* strings and records made so far */
	struct sopm_err *err;
};

/* Counts one more value made; -1 with err past cells_max. */
static int count_cell(struct csv_reader *r)
{
	if (++r->cells > FN_LIMIT_CSV_TO_JSON_CELLS_MAX)
		return sopm_err_set(r->err, SOPM_E_INVALID_INPUT,
		                    "field 'csv' holds more than %d values",
		                    FN_LIMIT_CSV_TO_JSON_CELLS_MAX);
	return 0;
}

static int save_field(struct csv_reader *r)
{
	json_t *s;

	if (count_cell(r) != 0)
		return -1;
	s = json_stringn_nocheck(r->field.p ? r->field.p : "", r->field.len);
	r->field.len = 0;
	r->field_len = 0;
	if (json_array_append_new(r->fields, s) != 0)
		return oom(r->err);
	return 0;
}

static int add_char(struct csv_reader *r, const char *s, size_t n)
{
	if (r->field_len >= CSV_FIELD_LIMIT)
		return sopm_err_set(r->err, SOPM_E_INVALID_INPUT,
		                    "field 'csv' has a field larger than the "
		                    "field limit (%d)",
		                    CSV_FIELD_LIMIT);
	r->field_len++;
	return sopm_buf_add(&r->field, s, n) != 0 ? oom(r->err) : 0;
}

/* One character c (s[0..n) its UTF-8; n is 0 for CSV_EOL), as
 * parse_process_char does it with quotechar '"', doublequote, no
 * escapechar, strict off. */
static int csv_char(struct csv_reader *r, uint32_t c, const char *s, size_t n)
{
	int nl = c == '\n' || c == '\r';

	switch (r->state) {
	case START_RECORD:
		if (c == CSV_EOL)
			return 0;
		if (nl) {
			r->state = EAT_CRNL;
			return 0;
		}
		r->state = START_FIELD;
		/* fall through */
	case START_FIELD:
		if (nl || c == CSV_EOL) {
			r->state = c == CSV_EOL ? START_RECORD : EAT_CRNL;
			return save_field(r);
		}
		if (c == '"') {
			r->state = IN_QUOTED_FIELD;
			return 0;
		}
		if (c == r->delim)
			return save_field(r);
		r->state = IN_FIELD;
		return add_char(r, s, n);
	case IN_FIELD:
		if (nl || c == CSV_EOL) {
			r->state = c == CSV_EOL ? START_RECORD : EAT_CRNL;
			return save_field(r);
		}
		if (c == r->delim) {
			r->state = START_FIELD;
			return save_field(r);
		}
		return add_char(r, s, n);
	case IN_QUOTED_FIELD:
		if (c == CSV_EOL)
			return 0;
		if (c == '"') {
			r->state = QUOTE_IN_QUOTED_FIELD;
			return 0;
		}
		return add_char(r, s, n);
	case QUOTE_IN_QUOTED_FIELD:
		if (c == '"') {
			r->state = IN_QUOTED_FIELD;
			return add_char(r, s, n);
		}
		if (c == r->delim) {
			r->state = START_FIELD;
			return save_field(r);
		}
		if (nl || c == CSV_EOL) {
			r->state = c == CSV_EOL ? START_RECORD : EAT_CRNL;
			return save_field(r);
		}
		r->state = IN_FIELD;
		return add_char(r, s, n);
	case EAT_CRNL:
		if (nl)
			return 0;
		if (c == CSV_EOL) {
			r->state = START_RECORD;
			return 0;
		}
		/* not reached: a line ends after every "\r" or "\n" */
		return sopm_err_set(r->err, SOPM_E_INVALID_INPUT,
		                    "field 'csv' has a new-line character in "
		                    "an unquoted field");
	}
	return 0;
}

/* The end of a line: the machine's EOL, and the record when it is done. */
static int csv_eol(struct csv_reader *r)
{
	if (csv_char(r, CSV_EOL, NULL, 0) != 0)
		return -1;
	if (r->state != START_RECORD)
		return 0;
	if (count_cell(r) != 0)
		return -1;
	if (json_array_append_new(r->records, r->fields) != 0) {
		r->fields = NULL;
		return oom(r->err);
	}
	r->fields = json_array();
	return r->fields == NULL ? oom(r->err) : 0;
}

/* Reads text[0..len) into r->records. 0 or -1 with r->err. */
static int csv_read(struct csv_reader *r, const char *text, size_t len)
{
	size_t i = 0;
	int in_line = 0;

	r->fields = json_array();
	r->records = json_array();
	if (r->fields == NULL || r->records == NULL)
		return oom(r->err);
	while (i < len) {
		uint32_t c;
		size_t n = fn_uni_next(text + i, len - i, &c);
		if (csv_char(r, c, text + i, n) != 0)
			return -1;
		i += n;
		in_line = 1;
		if (c == '\r' && i < len && text[i] == '\n') {
			if (csv_char(r, '\n', text + i, 1) != 0)
				return -1;
			i++;
		}
		if (c == '\r' || c == '\n') {
			if (csv_eol(r) != 0)
				return -1;
			in_line = 0;
		}
	}
	if (in_line && csv_eol(r) != 0)
		return -1;
	/* the end of the data inside quotes ends the last field */
	if (r->state == IN_QUOTED_FIELD) {
		if (save_field(r) != 0 || count_cell(r) != 0)
			return -1;
		if (json_array_append(r->records, r->fields) != 0)
			return oom(r->err);
	}
	return 0;
}

/* csv.DictReader over the records: the first is the field names; empty
 * records are skipped; a missing value is null, values past the names go
 * in an array under "null" (the restkey None, as json.dumps writes it). */
static json_t *dict_rows(const json_t *records, struct sopm_err *err)
{
	const json_t *names = json_array_get(records, 0);
	size_t nn = json_array_size(names), cells = 0;
	json_t *out = json_array();

	for (size_t i = 1; out != NULL && i < json_array_size(records); i++) {
		const json_t *row = json_array_get(records, i);
		size_t nr = json_array_size(row);
		json_t *d;
		int rc = 0;

		if (nr == 0)
			continue;
		cells += (nn > nr ? nn : nr) + 1;
		if (cells > FN_LIMIT_CSV_TO_JSON_CELLS_MAX) {
			json_decref(out);
			sopm_err_set(err, SOPM_E_INVALID_INPUT,
			             "field 'csv' holds more than %d values",
			             FN_LIMIT_CSV_TO_JSON_CELLS_MAX);
			return NULL;
		}
		d = json_object();
		for (size_t j = 0; d != NULL && rc == 0 && j < nn; j++) {
			const json_t *k = json_array_get(names, j);
			json_t *v = j < nr ? json_incref(json_array_get(row, j))
			                   : json_null();
			rc = json_object_setn_new_nocheck(
			    d, json_string_value(k), json_string_length(k), v);
		}
		if (d != NULL && rc == 0 && nr > nn) {
			json_t *rest = json_array();
			for (size_t j = nn; rest != NULL && j < nr; j++)
				if (json_array_append(
				        rest, json_array_get(row, j)) != 0) {
					json_decref(rest);
					rest = NULL;
				}
			rc = json_object_set_new_nocheck(d, "null", rest);
		}
		if (d == NULL || rc != 0 ||
		    json_array_append_new(out, d) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	if (out == NULL) /* the limit returned above */
		oom(err);
	return out;
}

fn_handler_t fn_csv_to_json;

int fn_csv_to_json(const json_t *input, json_t **result, struct fn_ctx *ctx,
                   struct sopm_err *err)
{
	struct csv_reader r = {0};
	size_t len, dlen;
	const char *text = fn_arg_text(input, "csv", "", &len);
	const char *delim = fn_arg_text(input, "delimiter", ",", &dlen);
	int header = fn_arg_bool(input, "header", 1);
	int rc = -1;

	(void)ctx;
	r.err = err;
	fn_uni_next(delim, dlen, &r.delim); /* one code point (schema) */
	if (csv_read(&r, text, len) != 0)
		goto done;
	if (!header) {
		*result = r.records;
		r.records = NULL;
		rc = 0;
		goto done;
	}
	*result = dict_rows(r.records, err);
	rc = *result != NULL ? 0 : -1;
done:
	json_decref(r.records);
	json_decref(r.fields);
	free(r.field.p);
	return rc;
}

/* ---- the writer ---- */

struct csv_writer {
	struct sopm_buf out;
	struct sopm_buf cell;
	size_t nfields; /* fields of the current row so far */
	size_t rowlen;  /* bytes of the current row so far */
};

/* Appends one field of text s[0..n) (QUOTE_MINIMAL: quoted when it holds
 * the delimiter, the quote or a line-end character; quotes doubled). */
static int put_field(struct csv_writer *w, const char *s, size_t n)
{
	int quote = 0;
	size_t start = w->out.len;

	for (size_t i = 0; i < n && !quote; i++)
		quote =
		    s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (w->nfields++ > 0 && sopm_buf_add(&w->out, ",", 1) != 0)
		return -1;
	if (quote && sopm_buf_add(&w->out, "\"", 1) != 0)
		return -1;
	for (size_t i = 0; i < n;) {
		const char *q = quote ? memchr(s + i, '"', n - i) : NULL;
		size_t end = q ? (size_t)(q - s) + 1 : n;
		if (sopm_buf_add(&w->out, s + i, end - i) != 0 ||
		    (q != NULL && sopm_buf_add(&w->out, "\"", 1) != 0))
			return -1;
		i = end;
	}
	if (quote && sopm_buf_add(&w->out, "\"", 1) != 0)
		return -1;
	w->rowlen += w->out.len - start;
	return 0;
}

/* Ends the row: a row of one empty field is written "" (as _csv.c does,
 * so that it reads back as one field). */
static int end_row(struct csv_writer *w)
{
	if (w->nfields > 0 && w->rowlen == 0 &&
	    sopm_buf_add(&w->out, "\"\"", 2) != 0)
		return -1;
	w->nfields = 0;
	w->rowlen = 0;
	return sopm_buf_add(&w->out, "\r\n", 2);
}

/* The columns: given, or every key of the rows in order of first
 * appearance. A NEW array, or NULL when out of memory. */
static json_t *csv_columns(const json_t *input)
{
	const json_t *cols = json_object_get(input, "columns");
	const json_t *rows = json_object_get(input, "rows");
	json_t *seen, *out;
	const char *key;
	size_t klen;
	json_t *x;

	if (cols != NULL)
		return json_incref((json_t *)cols);
	seen = json_object();
	out = json_array();
	for (size_t i = 0; seen && out && i < json_array_size(rows); i++)
		json_object_keylen_foreach(json_array_get(rows, i), key, klen,
		                           x)
		{
			if (json_object_getn(seen, key, klen) != NULL)
				continue;
			if (json_object_setn_new(seen, key, klen,
			                         json_null()) != 0 ||
			    json_array_append_new(
			        out, json_stringn(key, klen)) != 0) {
				json_decref(out);
				out = NULL;
				break;
			}
		}
	json_decref(seen);
	return out;
}

/* DictWriter's extrasaction="raise": every key of every row must be a
 * column. 0, or -1 with err. */
static int csv_check_keys(const json_t *rows, const json_t *cols,
                          struct sopm_err *err)
{
	json_t *set = json_object();
	const char *key;
	size_t klen;
	json_t *x;
	int rc = 0;

	if (set == NULL)
		return oom(err);
	for (size_t j = 0; rc == 0 && j < json_array_size(cols); j++) {
		const json_t *c = json_array_get(cols, j);
		if (json_object_setn_new_nocheck(set, json_string_value(c),
		                                 json_string_length(c),
		                                 json_null()) != 0)
			rc = oom(err);
	}
	for (size_t i = 0; rc == 0 && i < json_array_size(rows); i++)
		json_object_keylen_foreach(json_array_get(rows, i), key, klen,
		                           x)
		{
			char msg[96] = "";
			if (json_object_getn(set, key, klen) != NULL)
				continue;
			fn_json_quote(msg, sizeof(msg), key, klen);
			rc = sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                  "field 'rows[%zu]' has the key '%s', "
			                  "which 'columns' does not list",
			                  i, msg);
			break;
		}
	json_decref(set);
	return rc;
}

/* Writes one row of the values of obj (borrowed; NULL for the header)
 * under cols. 0, -1 (memory), -2 (a value too deep), -3 (too long). */
static int csv_row(struct csv_writer *w, const json_t *cols, const json_t *obj)
{
	for (size_t j = 0; j < json_array_size(cols); j++) {
		const json_t *c = json_array_get(cols, j);
		const json_t *v = c;
		int rc;
		if (obj != NULL)
			v = json_object_getn(obj, json_string_value(c),
			                     json_string_length(c));
		w->cell.len = 0;
		if (v != NULL && !json_is_null(v)) {
			rc = pyrepr_str(&w->cell, v,
			                FN_LIMIT_JSON_TO_CSV_DEPTH_MAX);
			if (rc != 0)
				return rc;
		}
		if (put_field(w, w->cell.p, w->cell.len) != 0)
			return -1;
		if (w->out.len > FN_LIMIT_JSON_TO_CSV_OUTPUT_MAX)
			return -3;
	}
	if (end_row(w) != 0)
		return -1;
	return w->out.len > FN_LIMIT_JSON_TO_CSV_OUTPUT_MAX ? -3 : 0;
}

fn_handler_t fn_json_to_csv;

int fn_json_to_csv(const json_t *input, json_t **result, struct fn_ctx *ctx,
                   struct sopm_err *err)
{
	const json_t *rows = json_object_get(input, "rows");
	struct csv_writer w = {0};
	json_t *cols = csv_columns(input);
	int rc = 0;
	size_t i = 0;

	(void)ctx;
	if (cols == NULL)
		return oom(err);
	if (json_object_get(input, "columns") != NULL &&
	    csv_check_keys(rows, cols, err) != 0) {
		json_decref(cols);
		return -1;
	}
	/* every line holds at least its commas and CRLF: when that alone
	 * is past the bound, say so now, not after writing 16 MB of it */
	if ((json_array_size(rows) + 1) * (json_array_size(cols) + 1) >
	    FN_LIMIT_JSON_TO_CSV_OUTPUT_MAX)
		rc = -3;
	else
		rc = csv_row(&w, cols, NULL);
	for (; rc == 0 && i < json_array_size(rows); i++)
		rc = csv_row(&w, cols, json_array_get(rows, i));
	json_decref(cols);
	free(w.cell.p);
	if (rc == 0) {
		*result =
		    json_stringn_nocheck(w.out.p ? w.out.p : "", w.out.len);
		free(w.out.p);
		return *result != NULL ? 0 : oom(err);
	}
	free(w.out.p);
	if (rc == -2)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'rows[%zu]' holds a value nested "
		                    "deeper than %d levels",
		                    i - 1, FN_LIMIT_JSON_TO_CSV_DEPTH_MAX);
	if (rc == -3)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'rows' makes a CSV text of more "
		                    "than %d bytes",
		                    FN_LIMIT_JSON_TO_CSV_OUTPUT_MAX);
	return oom(err);
}
