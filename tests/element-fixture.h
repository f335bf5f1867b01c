/* element-fixture.h: what the element tests share: two mock servers (the
 * API and, on another origin, the media host) and a pipeline runner that
 * waits on bus messages.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "jimmy-mock-server.h"

#define TEST_API_KEY "sk_test_secret_4f1c2e"
#define TEST_TASK_ID "audio_16b635ba-5889-4fa5-bbcc-bf67a38c353a"
#define TEST_TASK_PATH "/api/open-api/v1/audios/"

typedef struct {
  JimmyMockServer *api;         /* (owned) */
  JimmyMockServer *media;       /* (owned) another origin */
  GstElement *pipeline;         /* (owned) (nullable) */
  GstElement *src;              /* (unowned) the jimmyaudiosrc */
  GPtrArray *statuses;          /* (owned) GstStructure, in order */
  GString *progress;            /* (owned) progress types, e.g. "SCCK" */
  GstTagList *sink_tags;        /* (owned) (nullable) what sinks got */
  GstMessage *error;            /* (owned) (nullable) first error */
  gboolean eos;
} ElementFixture;

void element_fixture_set_up (ElementFixture *f, gconstpointer data);
void element_fixture_tear_down (ElementFixture *f, gconstpointer data);

void element_fixture_add_task (ElementFixture *f, const char *task_id,
                               const char *script);
GstElement *element_fixture_make_src (ElementFixture *f,
                                      const char *task_id);
void element_fixture_launch (ElementFixture *f, const char *description);
void element_fixture_run (ElementFixture *f, GstState state);
void element_fixture_stop (ElementFixture *f);

void element_fixture_assert_error (ElementFixture *f, GQuark domain,
                                   gint code, const char *fragment);
const GstStructure *element_fixture_error_details (ElementFixture *f);
void element_fixture_assert_detail_string (ElementFixture *f,
                                           const char *field,
                                           const char *expected);
void element_fixture_assert_detail_http_status (ElementFixture *f,
                                                guint expected);
void element_fixture_assert_detail_api_code (ElementFixture *f,
                                             gint expected);
GBytes *element_fixture_read_media (void);
void element_fixture_stop_promptly (ElementFixture *f);
void element_fixture_run_to_eos (ElementFixture *f);
void element_fixture_run_to_error (ElementFixture *f, GQuark domain,
                                   gint code, const char *fragment);
const char *element_fixture_status_at (ElementFixture *f, guint i);

void element_fixture_fill_media_source (GstElement *bin,
                                        GstStaticPadTemplate *templ);
