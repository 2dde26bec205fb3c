/* The C API of libsanitize: opaque handles, explicit free, error codes.
 * No function throws or aborts on bad input; every failure is a return code. */
#ifndef SANITIZE_SANITIZE_H
#define SANITIZE_SANITIZE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sanitize_engine sanitize_engine;
typedef struct sanitize_result sanitize_result;

typedef enum sanitize_status {
  SANITIZE_OK = 0,
  SANITIZE_E_INVALID_ARGUMENT = 1, /* a NULL handle or buffer, an unknown enum value */
  SANITIZE_E_POLICY = 2,           /* the policy text or file is not valid */
  SANITIZE_E_IO = 3,               /* a file could not be read */
  SANITIZE_E_NO_MEMORY = 4,
  SANITIZE_E_INTERNAL = 5
} sanitize_status;

typedef enum sanitize_verdict {
  SANITIZE_VERDICT_CLEAN = 0,     /* nothing found; rebuilt anyway */
  SANITIZE_VERDICT_SANITIZED = 1, /* something removed or neutralized */
  SANITIZE_VERDICT_BLOCKED = 2    /* no output */
} sanitize_verdict;

typedef enum sanitize_language { SANITIZE_LANG_JA = 0, SANITIZE_LANG_EN = 1 } sanitize_language;

/* Creates an engine with every built-in format. policy_toml may be NULL (the compiled-in
 * default). On SANITIZE_E_POLICY, a message naming the bad key is copied to error_message
 * (if not NULL) and truncated to error_message_size. */
sanitize_status sanitize_engine_new(const char* policy_toml, sanitize_engine** engine,
                                    char* error_message, size_t error_message_size);
void sanitize_engine_free(sanitize_engine* engine);

/* Sanitizes a buffer in this process. name is the declared file name (may be NULL).
 * The engine may be used from several threads at once. */
sanitize_status sanitize_buffer(const sanitize_engine* engine, const void* data, size_t size,
                                const char* name, sanitize_result** result);
/* The same for a file on disk; name defaults to the path's last component. */
sanitize_status sanitize_path(const sanitize_engine* engine, const char* path, const char* name,
                              sanitize_result** result);

sanitize_verdict sanitize_result_verdict(const sanitize_result* result);
/* The output bytes; NULL with *size 0 when blocked. Owned by the result. */
const void* sanitize_result_output(const sanitize_result* result, size_t* size);
/* The output file name ("" when blocked), e.g. a .docm input becomes .docx. */
const char* sanitize_result_output_name(const sanitize_result* result);
/* Why the file was blocked ("" when it was not): a reason code from docs/report-schema.md. */
const char* sanitize_result_block_reason(const sanitize_result* result);
/* The report as versioned JSON (docs/report-schema.md). */
const char* sanitize_result_report_json(const sanitize_result* result);
/* One short note for people. */
const char* sanitize_result_note(const sanitize_result* result, sanitize_language language);
size_t sanitize_result_finding_count(const sanitize_result* result);
void sanitize_result_free(sanitize_result* result);

const char* sanitize_status_string(sanitize_status status);
const char* sanitize_version(void);

#ifdef __cplusplus
}
#endif

#endif
