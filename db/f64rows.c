/*
 * f64rows: a SQLite table-valued function that reads rows of numbers out of one BLOB, so the
 * ingest binds one value per few thousand events instead of one per column per event (binding
 * through better-sqlite3 cost twice what SQLite spends storing the rows).
 *
 *   INSERT INTO t (a, b, c) SELECT c0, c1, c2 FROM f64rows(?blob, 3);
 *
 * The BLOB holds little-endian float64 values, row after row, `ncols` per row. A NaN reads as
 * NULL; an integral value in the int64 range reads as an INTEGER (as the column's affinity would
 * make it); anything else as a REAL. Built by scripts/build-cli.sh; loaded by the ingest's
 * SQLite writer when present (it falls back to bound parameters otherwise).
 *
 * One text per row can come beside the numbers, as column `t`:
 *
 *   INSERT INTO t (a, b, s) SELECT c0, c1, t FROM f64rows(?blob, 2, ?texts);
 *
 * `texts` is a BLOB of one UTF-16 text per row, in row order, with their ends (readTexts): the
 * packet ingest's Info texts and findings' details (a JSON array per batch, taken apart again by
 * json_each and ->>, cost SQLite more than storing the rows, and cloning the strings to the
 * writer thread cost the reading thread as much again).
 */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 32
#define COL_TEXT MAX_COLS
#define COL_DATA (MAX_COLS + 1)
#define COL_NCOLS (MAX_COLS + 2)
#define COL_TEXTS (MAX_COLS + 3)

typedef struct {
  sqlite3_vtab_cursor base;
  double *values; /* a copy of the BLOB: its memory is not ours past xFilter */
  sqlite3_int64 nrows;
  int ncols;
  sqlite3_int64 row;
  unsigned char *texts; /* a copy of the texts BLOB, or NULL without texts */
} Cursor;

static int xConnect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  (void)aux; (void)argc; (void)argv; (void)err;
  int rc = sqlite3_declare_vtab(db,
    "CREATE TABLE x(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15,"
    " c16, c17, c18, c19, c20, c21, c22, c23, c24, c25, c26, c27, c28, c29, c30, c31,"
    " t, data HIDDEN, ncols HIDDEN, texts HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  sqlite3_vtab *vtab = sqlite3_malloc(sizeof(*vtab));
  if (!vtab) return SQLITE_NOMEM;
  memset(vtab, 0, sizeof(*vtab));
  *out = vtab;
  return SQLITE_OK;
}

static int xDisconnect(sqlite3_vtab *vtab) {
  sqlite3_free(vtab);
  return SQLITE_OK;
}

/* data and ncols are required, texts optional: equality constraints handed to xFilter in that
 * order (idxNum 1: texts given). */
static int xBestIndex(sqlite3_vtab *vtab, sqlite3_index_info *info) {
  (void)vtab;
  int data = -1, ncols = -1, texts = -1;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    if (c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (c->iColumn != COL_DATA && c->iColumn != COL_NCOLS && c->iColumn != COL_TEXTS) continue;
    if (!c->usable) return SQLITE_CONSTRAINT;
    if (c->iColumn == COL_DATA) data = i;
    if (c->iColumn == COL_NCOLS) ncols = i;
    if (c->iColumn == COL_TEXTS) texts = i;
  }
  if (data < 0 || ncols < 0) return SQLITE_CONSTRAINT;
  info->aConstraintUsage[data].argvIndex = 1;
  info->aConstraintUsage[data].omit = 1;
  info->aConstraintUsage[ncols].argvIndex = 2;
  info->aConstraintUsage[ncols].omit = 1;
  if (texts >= 0) {
    info->aConstraintUsage[texts].argvIndex = 3;
    info->aConstraintUsage[texts].omit = 1;
  }
  info->idxNum = texts >= 0;
  info->estimatedCost = 1;
  return SQLITE_OK;
}

static int xOpen(sqlite3_vtab *vtab, sqlite3_vtab_cursor **out) {
  (void)vtab;
  Cursor *c = sqlite3_malloc(sizeof(*c));
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  *out = &c->base;
  return SQLITE_OK;
}

static int xClose(sqlite3_vtab_cursor *cur) {
  Cursor *c = (Cursor *)cur;
  sqlite3_free(c->values);
  sqlite3_free(c->texts);
  sqlite3_free(c);
  return SQLITE_OK;
}

/* The texts BLOB: a little-endian uint32 count (the number of rows), each text's end as a
 * uint32 offset in UTF-16 code units from the first text's start, then the texts as UTF-16LE
 * (what JavaScript's strings are: the ingest joins a batch's texts and copies them out with one
 * call; encoding them as UTF-8 there cost it three times as much, and SQLite converts them to
 * the database's UTF-8 as it stores them). */
static uint32_t le32(const unsigned char *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static int readTexts(Cursor *c, sqlite3_value *arg) {
  sqlite3_int64 bytes = sqlite3_value_bytes(arg);
  const unsigned char *blob = sqlite3_value_blob(arg);
  sqlite3_int64 n = bytes >= 4 ? le32(blob) : -1;
  sqlite3_int64 head = 4 + 4 * n;
  int ok = n == c->nrows && bytes >= head;
  for (sqlite3_int64 i = 0, at = 0; ok && i < n; i++) {
    sqlite3_int64 end = le32(blob + 4 + 4 * i);
    ok = end >= at && head + 2 * end <= bytes;
    at = end;
  }
  if (!ok) {
    c->base.pVtab->zErrMsg = sqlite3_mprintf("f64rows: the texts are not %lld texts with their ends", c->nrows);
    return SQLITE_ERROR;
  }
  c->texts = sqlite3_malloc64(bytes > 0 ? bytes : 1);
  if (!c->texts) return SQLITE_NOMEM;
  if (bytes > 0) memcpy(c->texts, blob, bytes);
  return SQLITE_OK;
}

static int xFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc, sqlite3_value **argv) {
  (void)idxStr;
  Cursor *c = (Cursor *)cur;
  sqlite3_free(c->values);
  sqlite3_free(c->texts);
  c->values = NULL;
  c->texts = NULL;
  c->nrows = 0;
  c->row = 0;
  if (argc != (idxNum ? 3 : 2)) return SQLITE_ERROR;
  int ncols = sqlite3_value_int(argv[1]);
  int bytes = sqlite3_value_bytes(argv[0]);
  const void *blob = sqlite3_value_blob(argv[0]);
  if (ncols < 1 || ncols > MAX_COLS || bytes % (8 * ncols) != 0) {
    cur->pVtab->zErrMsg = sqlite3_mprintf("f64rows: %d bytes are not rows of %d float64 values", bytes, ncols);
    return SQLITE_ERROR;
  }
  if (bytes > 0) {
    c->values = sqlite3_malloc(bytes);
    if (!c->values) return SQLITE_NOMEM;
    memcpy(c->values, blob, bytes);
  }
  c->ncols = ncols;
  c->nrows = bytes / (8 * ncols);
  if (idxNum) return readTexts(c, argv[2]);
  return SQLITE_OK;
}

static int xNext(sqlite3_vtab_cursor *cur) {
  ((Cursor *)cur)->row++;
  return SQLITE_OK;
}

static int xEof(sqlite3_vtab_cursor *cur) {
  Cursor *c = (Cursor *)cur;
  return c->row >= c->nrows;
}

static int xColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  Cursor *c = (Cursor *)cur;
  if (col == COL_TEXT) {
    if (!c->texts) {
      sqlite3_result_null(ctx);
      return SQLITE_OK;
    }
    const unsigned char *ends = c->texts + 4;
    sqlite3_int64 start = c->row ? le32(ends + 4 * (c->row - 1)) : 0, end = le32(ends + 4 * c->row);
    const unsigned char *utf16 = ends + 4 * c->nrows;
    sqlite3_result_text64(ctx, (const char *)utf16 + 2 * start, 2 * (end - start), SQLITE_TRANSIENT, SQLITE_UTF16LE);
    return SQLITE_OK;
  }
  if (col >= c->ncols) {
    sqlite3_result_null(ctx);
    return SQLITE_OK;
  }
  double v = c->values[c->row * c->ncols + col];
  if (isnan(v)) sqlite3_result_null(ctx);
  else if (v == floor(v) && v >= -9223372036854775808.0 && v < 9223372036854775808.0) sqlite3_result_int64(ctx, (sqlite3_int64)v);
  else sqlite3_result_double(ctx, v);
  return SQLITE_OK;
}

static int xRowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid) {
  *rowid = ((Cursor *)cur)->row;
  return SQLITE_OK;
}

/* No xCreate: an eponymous-only virtual table, usable only as a table-valued function. */
static sqlite3_module module = {
  .iVersion = 0,
  .xConnect = xConnect,
  .xBestIndex = xBestIndex,
  .xDisconnect = xDisconnect,
  .xOpen = xOpen,
  .xClose = xClose,
  .xFilter = xFilter,
  .xNext = xNext,
  .xEof = xEof,
  .xColumn = xColumn,
  .xRowid = xRowid,
};

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_f64rows_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
  (void)err;
  SQLITE_EXTENSION_INIT2(api);
  return sqlite3_create_module(db, "f64rows", &module, 0);
}
