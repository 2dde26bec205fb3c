/* The C API from C: engine, a clean file, a blocked one, a bad policy, NULL handles. */
#include <stdio.h>
#include <string.h>

#include "sanitize/sanitize.h"

static int failures = 0;

#define EXPECT(condition)                                                     \
  do {                                                                        \
    if (!(condition)) {                                                       \
      fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #condition); \
      ++failures;                                                             \
    }                                                                         \
  } while (0)

int main(void) {
  sanitize_engine* engine = NULL;
  char message[256] = "";
  EXPECT(sanitize_engine_new(NULL, &engine, message, sizeof message) == SANITIZE_OK);
  EXPECT(engine != NULL);

  const char text[] = "Meeting at 10:00.\r\n";
  sanitize_result* result = NULL;
  EXPECT(sanitize_buffer(engine, text, sizeof text - 1, "memo.txt", &result) == SANITIZE_OK);
  EXPECT(sanitize_result_verdict(result) == SANITIZE_VERDICT_CLEAN);
  size_t size = 0;
  const void* output = sanitize_result_output(result, &size);
  EXPECT(size == sizeof text - 1 && memcmp(output, text, size) == 0);
  EXPECT(strcmp(sanitize_result_output_name(result), "memo.txt") == 0);
  EXPECT(strstr(sanitize_result_report_json(result), "\"schema_version\":1") != NULL);
  EXPECT(strlen(sanitize_result_note(result, SANITIZE_LANG_JA)) > 0);
  sanitize_result_free(result);

  const char script[] = "CreateObject(\"WScript.Shell\").Run \"calc\"\r\n";
  EXPECT(sanitize_buffer(engine, script, sizeof script - 1, "invoice.vbs", &result) == SANITIZE_OK);
  EXPECT(sanitize_result_verdict(result) == SANITIZE_VERDICT_BLOCKED);
  EXPECT(sanitize_result_output(result, &size) == NULL && size == 0);
  EXPECT(strcmp(sanitize_result_block_reason(result), "extension_not_allowed") == 0);
  sanitize_result_free(result);

  const char csv[] = "a,b\r\n1,=cmd|' /C calc'!A0\r\n";
  EXPECT(sanitize_buffer(engine, csv, sizeof csv - 1, "list.csv", &result) == SANITIZE_OK);
  EXPECT(sanitize_result_verdict(result) == SANITIZE_VERDICT_SANITIZED);
  EXPECT(sanitize_result_finding_count(result) == 1);
  sanitize_result_free(result);

  EXPECT(sanitize_path(engine, "/nonexistent/file.txt", NULL, &result) == SANITIZE_E_IO);
  EXPECT(sanitize_buffer(NULL, text, 1, "x.txt", &result) == SANITIZE_E_INVALID_ARGUMENT);
  sanitize_engine_free(engine);

  sanitize_engine* bad = NULL;
  EXPECT(sanitize_engine_new("[limits]\nmax_depht = 3\n", &bad, message, sizeof message) ==
         SANITIZE_E_POLICY);
  EXPECT(bad == NULL);
  EXPECT(strstr(message, "limits.max_depht") != NULL);

  if (failures == 0) printf("c_api_test: all checks passed (libsanitize %s)\n", sanitize_version());
  return failures == 0 ? 0 : 1;
}
