/*
 * query-cancel: lets one thread stop a SQLite statement that another thread is running, which
 * better-sqlite3 cannot do by itself (no sqlite3_interrupt binding; its SQLite is also built
 * without progress handlers). The query workers of the server (server/api/query-pool.ts) run
 * statements that can scan millions of rows in one step; when a query's time budget runs out or
 * its client goes away, the pool terminates the worker, but a thread only dies once it is back
 * in JavaScript: without this, a cancelled scan would go on burning a core for seconds.
 *
 * Every thread loading this library from the same file shares its globals (one copy per
 * process). A worker claims a slot; each connection it opens afterwards (with this extension
 * loaded) is listed under that slot until it closes. The main thread cancels a job by slot and
 * job number: if that job is the one the slot runs, each of the slot's connections gets
 * sqlite3_interrupt (safe from any thread), and its statement ends with SQLITE_INTERRUPT.
 *
 *   worker, once:               SELECT query_claim(slot);
 *   worker, before each query:  SELECT query_begin(job);
 *   main thread, to stop it:    SELECT query_cancel(slot, job);
 *
 * A job number is never reused, so a cancellation that arrives after its job has finished stops
 * nothing else. Built by scripts/build-cli.sh; without it the pool still stops queries, only
 * once their statement would have finished anyway.
 */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1
#include <pthread.h>

#define SLOTS 1024
#define CONNS 32

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static sqlite3 *conns[SLOTS][CONNS];
static sqlite3_int64 running[SLOTS];
static _Thread_local int my_slot = -1;

typedef struct {
  sqlite3 *db;
  int slot;
} Listed;

static int slot_arg(sqlite3_context *ctx, sqlite3_value *v) {
  sqlite3_int64 s = sqlite3_value_int64(v);
  if (s < 0 || s >= SLOTS) {
    sqlite3_result_error(ctx, "query_cancel: slot out of range", -1);
    return -1;
  }
  return (int)s;
}

/* The connection closes (SQLite destroys its functions): off the list before it is freed. The
 * lock makes a concurrent query_cancel finish with the connection first. */
static void unlist(void *p) {
  Listed *l = p;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < CONNS; i++) if (conns[l->slot][i] == l->db) conns[l->slot][i] = 0;
  pthread_mutex_unlock(&lock);
  sqlite3_free(l);
}

static void listed(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc; (void)argv;
  sqlite3_result_int(ctx, 1);
}

static void query_claim(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  int s = slot_arg(ctx, argv[0]);
  if (s < 0) return;
  my_slot = s;
  pthread_mutex_lock(&lock);
  /* What a terminated worker of the same slot left listed (connections it never closed). */
  for (int i = 0; i < CONNS; i++) conns[s][i] = 0;
  running[s] = 0;
  pthread_mutex_unlock(&lock);
  sqlite3_result_null(ctx);
}

static void query_begin(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  if (my_slot < 0) {
    sqlite3_result_error(ctx, "query_begin: this thread has claimed no slot", -1);
    return;
  }
  pthread_mutex_lock(&lock);
  running[my_slot] = sqlite3_value_int64(argv[0]);
  pthread_mutex_unlock(&lock);
  sqlite3_result_null(ctx);
}

static void query_cancel(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  int s = slot_arg(ctx, argv[0]);
  if (s < 0) return;
  int stopped = 0;
  pthread_mutex_lock(&lock);
  if (running[s] != 0 && running[s] == sqlite3_value_int64(argv[1])) {
    for (int i = 0; i < CONNS; i++) {
      if (conns[s][i]) {
        sqlite3_interrupt(conns[s][i]);
        stopped++;
      }
    }
  }
  pthread_mutex_unlock(&lock);
  sqlite3_result_int(ctx, stopped);
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_querycancel_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
  (void)err;
  SQLITE_EXTENSION_INIT2(api);
  int rc = sqlite3_create_function(db, "query_claim", 1, SQLITE_UTF8, 0, query_claim, 0, 0);
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "query_begin", 1, SQLITE_UTF8, 0, query_begin, 0, 0);
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "query_cancel", 2, SQLITE_UTF8, 0, query_cancel, 0, 0);
  if (rc != SQLITE_OK || my_slot < 0) return rc;
  /* A connection of a worker that claimed a slot: listed until it closes. */
  Listed *l = sqlite3_malloc(sizeof *l);
  if (!l) return SQLITE_NOMEM;
  l->db = db;
  l->slot = my_slot;
  pthread_mutex_lock(&lock);
  int placed = 0;
  for (int i = 0; i < CONNS && !placed; i++) {
    if (!conns[my_slot][i]) {
      conns[my_slot][i] = db;
      placed = 1;
    }
  }
  pthread_mutex_unlock(&lock);
  /* The destructor runs when the connection closes (or at once if this fails). */
  return sqlite3_create_function_v2(db, "query_listed", 0, SQLITE_UTF8, l, listed, 0, 0, unlist);
}
