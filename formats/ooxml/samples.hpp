// Test-only: one sample document per kind of content the module handles, benign and hostile,
// shared by the unit tests (which check the details) and the corpus generator (whose
// checkers prove the outputs with independent tools).
#pragma once

#include <string>

#include "formats/ooxml/test_package.hpp"

namespace sanitize::formats::ooxml::testing {

// Benign: Japanese and English text, a table, pictures, header and footer, comments, a
// chart, a web hyperlink. Nothing to remove.
Package word_benign();
Package excel_benign();
Package powerpoint_benign();

// Word.
Package word_vba();               // .docm: vbaProject.bin, vbaData.xml, signature
Package word_activex();           // w:object with an ActiveX control
Package word_ole_object();        // w:object with an OLE package and its preview picture
Package word_remote_template();   // attachedTemplate to an http URL
Package word_external_content();  // linked picture, sub-document, frames, VML src
Package word_alt_chunk();         // altChunk with an HTML part
Package word_fields();            // DDE, DDEAUTO (split, nested QUOTE, renamed prefix), INCLUDE*...
Package word_custom_ui();         // customUI ribbon with callbacks and an image
Package word_web_extension();     // task pane add-in
Package word_mail_merge();        // mail merge data source and query
Package word_hyperlinks();        // http kept; file:, UNC, relative path removed
Package word_pictures();          // EMF, SVG, a PNG name holding GIF bytes
Package word_embedded_font();     // obfuscated embedded font
Package word_signature();         // XML digital signature
Package word_package_oddities();  // unknown, unreachable and missing parts, DOCTYPE, PI,
                                  // traversal name, zip comment
Package word_embedded_document(const std::string& inner);  // an embedded .docm package
Package word_chart_with_data();  // a chart whose data is an embedded workbook

// Excel.
Package excel_vba();
Package excel_xlm();  // macro sheet between two sheets, Auto_Open, localSheetId
Package excel_dialog_sheet();
Package excel_dde();            // DDE and RTD formulas, a shared one, a rule, a DDE link
Package excel_external_link();  // [1]Sheet1!A1 formulas and names, externalLinkPath
Package excel_connections();    // connections, query table, table bound to it
Package excel_power_query();    // DataMashup in custom XML
Package excel_printer_settings();
Package excel_controls();  // OLE object, ActiveX control, form control macro, shape macro

// PowerPoint.
Package powerpoint_vba();
Package powerpoint_actions();  // ppaction://program, macro, mouse-over; a slide jump kept
Package powerpoint_ole();      // OLE object in a graphic frame, animated

// Large documents for the benchmark (the same bytes on every run): a Word document of
// `pages` pages of Japanese and English text with a table on every tenth page and a picture
// (`picture_bytes` of incompressible PNG) on every `pages_per_picture`-th; a workbook whose
// sheet XML is about `sheet_bytes` (numbers, shared strings, formulas); a presentation of
// `slides` slides with a picture on each.
Package large_word_document(int pages, int pages_per_picture, std::size_t picture_bytes);
Package large_workbook(std::size_t sheet_bytes);
Package large_presentation(int slides, std::size_t picture_bytes);

}  // namespace sanitize::formats::ooxml::testing
