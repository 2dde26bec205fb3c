// Test PDFs for every finding kind of the PDF module, benign documents that must come out
// unchanged in text and pages, and malformed files and bombs that must block.
#include <fmt/format.h>

#include "formats/pdf/pdf_format.hpp"
#include "formats/pdf/qpdf_testing.hpp"
#include "formats/pdf/raw_pdf.hpp"
#include "formats/zip/raw_zip.hpp"

namespace sanitize::formats {
namespace {

using corpus::blocked;
using corpus::Expectation;
using pdf::testing::flate;
using pdf::testing::literal;
using pdf::testing::RawPdf;
using pdf::testing::TextDocument;

// Delivered PDFs: valid for qpdf, nothing active left, as many pages as the input.
const std::vector<std::string> kDelivered{"pdf_valid", "pdf_nothing_active", "pdf_pages_equal",
                                          "pdf_not_encrypted"};
constexpr std::string_view kEicar =
    "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

Expectation benign_case(std::vector<std::string> extra = {}) {
  extra.insert(extra.begin(), "pdf_text_equal");
  return corpus::delivered("clean", {}, kDelivered, extra);
}

Expectation sanitized(std::vector<std::string> findings, std::vector<std::string> extra = {}) {
  return corpus::delivered("sanitized", std::move(findings), kDelivered, extra);
}

// UTF-8 to the UCS-2 big-endian hex a UniJIS-UCS2-H string holds (BMP only).
std::string ucs2_hex(std::string_view utf8) {
  std::string hex;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    unsigned code = c;
    int extra = 0;
    if (c >= 0xE0) {
      code = c & 0x0F;
      extra = 2;
    } else if (c >= 0xC0) {
      code = c & 0x1F;
      extra = 1;
    }
    for (int k = 1; k <= extra; ++k) code = (code << 6) | (utf8[i + k] & 0x3F);
    i += 1 + extra;
    hex += fmt::format("{:04X}", code);
  }
  return hex;
}

// Japanese text in a non-embedded Adobe-Japan1 CID font, as Japanese Acrobat writes it:
// viewers substitute an installed Japanese font, text extraction maps CIDs to Unicode.
std::string japanese_document() {
  RawPdf pdf;
  const int descriptor = pdf.add(
      "<< /Type /FontDescriptor /FontName /KozMinPr6N-Regular /Flags 6 /FontBBox [-437 -340 "
      "1147 1317] /ItalicAngle 0 /Ascent 1317 /Descent -349 /CapHeight 742 /StemV 80 >>");
  const int font = pdf.add(fmt::format(
      "<< /Type /Font /Subtype /Type0 /BaseFont /KozMinPr6N-Regular /Encoding /UniJIS-UCS2-H "
      "/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /KozMinPr6N-Regular "
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 6 >> /FontDescriptor "
      "{} 0 R /DW 1000 >>] >>",
      descriptor));
  const int content = pdf.add_stream(
      "/Filter /FlateDecode",
      flate(fmt::format("BT /F1 20 Tf 72 720 Td <{}> Tj 0 -30 Td <{}> Tj ET",
                        ucs2_hex("住民票の写しの交付申請書"), ucs2_hex("令和6年度 予算資料 ①②③"))));
  const int pages = pdf.next_number() + 1;
  const int page = pdf.add(fmt::format(
      "<< /Type /Page /Parent {} 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 {} 0 R "
      ">> >> /Contents {} 0 R >>",
      pages, font, content));
  pdf.add(fmt::format("<< /Type /Pages /Kids [{} 0 R] /Count 1 >>", page));
  const int catalog =
      pdf.add(fmt::format("<< /Type /Catalog /Pages {} 0 R /Lang (ja-JP) >>", pages));
  return pdf.build(catalog);
}

std::string docm_bytes() {
  zip::testing::RawArchive docm;
  zip::testing::RawEntry types;
  types.name = "[Content_Types].xml";
  types.data =
      "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
      "content-types\"><Override PartName=\"/word/document.xml\" ContentType=\"application/"
      "vnd.ms-word.document.macroEnabled.main+xml\"/></Types>";
  zip::testing::RawEntry vba;
  vba.name = "word/vbaProject.bin";
  vba.data =
      "Attribute VB_Name = \"ThisDocument\"\r\nSub AutoOpen()\r\nShell \"calc\"\r\nEnd Sub\r\n";
  docm.entries = {types, vba};
  return zip::testing::build(docm);
}

std::string embedded_file_spec(RawPdf& pdf, std::string_view name, std::string_view data) {
  const int stream = pdf.add_stream(
      fmt::format("/Type /EmbeddedFile /Params << /Size {} >> /Filter /FlateDecode", data.size()),
      flate(data));
  return fmt::format("<< /Type /Filespec /F {} /UF {} /EF << /F {} 0 R >> >>", literal(name),
                     literal(name), stream);
}

void benign(corpus::Writer& writer) {
  TextDocument text({"Quarterly report of the city office", "Second page: budget and staff"});
  writer.add("pdf/benign/text.pdf", text.build(), benign_case(), "two pages of text");

  writer.add("pdf/benign/japanese-cid.pdf", japanese_document(), benign_case(),
             "Japanese text in a non-embedded Adobe-Japan1 CID font (UniJIS-UCS2-H)");

  TextDocument form({"Application form"});
  RawPdf& form_pdf = form.pdf();
  const int appearance =
      form_pdf.add_stream("/Type /XObject /Subtype /Form /BBox [0 0 200 20] /Resources << >>",
                          "0 0 1 rg 0 0 200 20 re S");
  const int field = form.annotation(
      0, fmt::format("<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (Taro Yamada) /Rect "
                     "[72 600 272 620] /F 4 /AP << /N {} 0 R >> >>",
                     appearance));
  form.catalog_entry(fmt::format("/AcroForm << /Fields [{} 0 R] /DA (/Helv 0 Tf 0 g) >>", field));
  writer.add("pdf/benign/form.pdf", form.build(), benign_case(), "a form with a text field");

  TextDocument linked({"Contents", "Chapter one"});
  RawPdf& linked_pdf = linked.pdf();
  const int outline_root = linked_pdf.next_number();
  const int item = outline_root + 1;
  linked_pdf.add(fmt::format("<< /Type /Outlines /First {0} 0 R /Last {0} 0 R /Count 1 >>", item));
  linked_pdf.add(fmt::format("<< /Title (Chapter one) /Parent {} 0 R /Dest [{} 0 R /Fit] >>",
                             outline_root, linked.page(1)));
  linked.catalog_entry(fmt::format("/Outlines {} 0 R", outline_root));
  linked.annotation(0,
                    "<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /Border [0 0 0] "
                    "/A << /S /URI /URI (https://www.city.example.lg.jp/) >> >>");
  linked.annotation(0, fmt::format("<< /Type /Annot /Subtype /Link /Rect [72 660 300 680] "
                                   "/A << /S /GoTo /D [{} 0 R /Fit] >> >>",
                                   linked.page(1)));
  writer.add("pdf/benign/outline-links.pdf", linked.build(), benign_case(),
             "an outline, a web link and a link to a page");

  TextDocument streams({"Objects in object streams"});
  writer.add("pdf/benign/object-streams.pdf", pdf::testing::with_object_streams(streams.build()),
             benign_case(), "written by qpdf with object streams and a cross-reference stream");

  TextDocument rotated({"A landscape page"});
  rotated.page_entry(0, "/Rotate 90");
  writer.add("pdf/benign/rotated.pdf", rotated.build(), benign_case(), "a page rotated 90 degrees");
}

std::string open_action_document(std::string action) {
  TextDocument doc({"Hello"});
  doc.catalog_entry("/OpenAction " + action);
  return doc.build();
}

void javascript(corpus::Writer& writer) {
  TextDocument tree({"Document JavaScript"});
  const int script = tree.pdf().add("<< /S /JavaScript /JS (app.alert\\('names'\\);) >>");
  tree.catalog_entry(fmt::format("/Names << /JavaScript << /Names [(init) {} 0 R] >> >>", script));
  writer.add("pdf/javascript/names-tree.pdf", tree.build(), sanitized({"pdf.javascript"}),
             "a script in the document JavaScript name tree");

  writer.add("pdf/javascript/open-action.pdf",
             open_action_document("<< /S /JavaScript /JS (app.alert\\(1\\);) >>"),
             sanitized({"pdf.javascript"}), "JavaScript run when the document opens");

  TextDocument hidden({"Scripts in object streams"});
  const int hidden_script =
      hidden.pdf().add("<< /Type /Action /S /JavaScript /JS (this.exportDataObject\\({}\\);) >>");
  hidden.catalog_entry(fmt::format("/OpenAction {} 0 R", hidden_script));
  writer.add("pdf/javascript/object-stream.pdf", pdf::testing::with_object_streams(hidden.build()),
             sanitized({"pdf.javascript"}),
             "the JavaScript action compressed inside an object stream");

  TextDocument page_aa({"Page events"});
  page_aa.page_entry(0, "/AA << /O << /S /JavaScript /JS (app.beep\\(0\\);) >> >>");
  writer.add("pdf/javascript/page-aa.pdf", page_aa.build(), sanitized({"pdf.additional_actions"}),
             "a script run when the page opens (/AA /O)");

  TextDocument annot_aa({"Annotation events"});
  annot_aa.annotation(0,
                      "<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /AA << /E << /S "
                      "/JavaScript /JS (app.alert\\(2\\);) >> >> >>");
  writer.add("pdf/javascript/annotation-aa.pdf", annot_aa.build(),
             sanitized({"pdf.additional_actions"}), "a script run when the mouse enters a link");

  TextDocument escaped({"Hex-escaped names"});
  escaped.catalog_entry("/OpenAction << /#53 /J#61va#53cript /J#53 (app.alert\\(3\\);) >>");
  writer.add("pdf/javascript/hex-escaped.pdf", escaped.build(), sanitized({"pdf.javascript"}),
             "/S /J#61va#53cript: a name a string match on the raw file misses");

  TextDocument base({"Signed off version"});
  const std::string original = base.build();
  // Object 1 is the catalog of every TextDocument.
  const std::string updated =
      pdf::testing::append_update(original,
                                  {{1, "<< /Type /Catalog /Pages 2 0 R /OpenAction 7 0 R >>"},
                                   {7, "<< /S /JavaScript /JS (app.alert\\('update'\\);) >>"}},
                                  1, 8);
  writer.add("pdf/javascript/incremental-update.pdf", updated,
             sanitized({"pdf.javascript", "pdf.incremental_update"}),
             "an incremental update that adds an open action script to a clean file");

  TextDocument chain({"Next chain"});
  chain.catalog_entry(fmt::format(
      "/OpenAction << /S /GoTo /D [{} 0 R /Fit] /Next [<< /S /JavaScript /JS (1) >> << /S "
      "/Launch /F (cmd.exe) >>] >>",
      chain.page(0)));
  writer.add("pdf/javascript/next-chain.pdf", chain.build(),
             sanitized({"pdf.javascript", "pdf.launch"}),
             "a harmless go-to whose /Next chain runs a script and a program");

  TextDocument outline({"Outline script"});
  const int root = outline.pdf().next_number();
  outline.pdf().add(
      fmt::format("<< /Type /Outlines /First {0} 0 R /Last {0} 0 R /Count 1 >>", root + 1));
  outline.pdf().add(fmt::format(
      "<< /Title (Click) /Parent {} 0 R /A << /S /JavaScript /JS (app.alert\\(4\\);) >> >>", root));
  outline.catalog_entry(fmt::format("/Outlines {} 0 R", root));
  writer.add("pdf/javascript/outline.pdf", outline.build(), sanitized({"pdf.javascript"}),
             "an outline item whose action is a script");

  TextDocument field({"Form script"});
  const int js_stream = field.pdf().add_stream("/Filter /FlateDecode", flate("app.alert(5);"));
  const int widget = field.annotation(
      0, fmt::format("<< /Type /Annot /Subtype /Widget /FT /Btn /T (b) /Rect [72 500 172 520] "
                     "/A << /S /JavaScript /JS {} 0 R >> >>",
                     js_stream));
  field.catalog_entry(fmt::format("/AcroForm << /Fields [{} 0 R] >>", widget));
  writer.add("pdf/javascript/form-field.pdf", field.build(), sanitized({"pdf.javascript"}),
             "a button whose action is a compressed script stream");
}

void actions(corpus::Writer& writer) {
  const std::vector<std::tuple<std::string, std::string, std::string>> kCases{
      {"launch", "<< /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >>", "pdf.launch"},
      {"submit-form",
       "<< /S /SubmitForm /F << /FS /URL /F (https://collect.example/) >> /Flags 4 >>",
       "pdf.submit_form"},
      {"import-data", "<< /S /ImportData /F (data.fdf) >>", "pdf.import_data"},
      {"goto-remote", "<< /S /GoToR /F (\\\\\\\\attacker\\\\share\\\\x.pdf) /D [0 /Fit] >>",
       "pdf.goto_remote"},
      {"goto-embedded", "<< /S /GoToE /T << /R /C /N (a.pdf) >> /D [0 /Fit] >>",
       "pdf.goto_embedded"},
      {"rendition", "<< /S /Rendition /OP 0 /JS (1) >>", "pdf.rendition"},
      {"movie", "<< /S /Movie /T (m) >>", "pdf.movie"},
      {"sound", "<< /S /Sound /Sound 9 0 R >>", "pdf.sound"},
      {"rich-media-execute", "<< /S /RichMediaExecute /TA 9 0 R >>", "pdf.rich_media"},
      {"3d-view", "<< /S /GoTo3DView /TA 9 0 R /V 0 >>", "pdf.3d"},
      {"named-menu-item", "<< /S /Named /N /SaveAs >>", "pdf.unknown_action"},
      {"unknown-type", "<< /S /SetupExploit /X 1 >>", "pdf.unknown_action"},
      {"open-uri", "<< /S /URI /URI (https://tracker.example/open) >>", "pdf.open_action"},
  };
  for (const auto& [name, action, kind] : kCases) {
    TextDocument doc({"Link"});
    doc.annotation(0, "<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /A " + action + " >>");
    std::string bytes = kind == "pdf.open_action" ? open_action_document(action) : doc.build();
    writer.add("pdf/actions/" + name + ".pdf", bytes, sanitized({kind}),
               "a link or open action of type " + name);
  }
}

void media_and_forms(corpus::Writer& writer) {
  const std::vector<std::tuple<std::string, std::string, std::string>> kAnnotations{
      {"screen", "/Subtype /Screen /A << /S /Rendition /OP 0 >>", "pdf.rendition"},
      {"rich-media", "/Subtype /RichMedia /RichMediaContent << /Assets << >> >>", "pdf.rich_media"},
      {"movie", "/Subtype /Movie /Movie << /F (clip.avi) >>", "pdf.movie"},
      {"sound", "/Subtype /Sound /Sound 4 0 R", "pdf.sound"},
      {"3d", "/Subtype /3D /3DD << /Type /3D /Subtype /U3D >>", "pdf.3d"},
  };
  for (const auto& [name, entries, kind] : kAnnotations) {
    TextDocument doc({"Media"});
    doc.annotation(0, "<< /Type /Annot /Rect [72 400 372 600] " + entries + " >>");
    writer.add("pdf/media/" + name + ".pdf", doc.build(), sanitized({kind}), name + " annotation");
  }

  TextDocument xfa({"Static fallback page of an XFA form"});
  const int template_stream = xfa.pdf().add_stream(
      "",
      "<template><subform><event activity=\"initialize\"><script "
      "contentType=\"application/x-javascript\">app.alert(1)</script></event></subform>"
      "</template>");
  xfa.catalog_entry(fmt::format(
      "/NeedsRendering true /AcroForm << /Fields [] /XFA [(template) {} 0 R] >>", template_stream));
  writer.add("pdf/forms/xfa.pdf", xfa.build(), sanitized({"pdf.xfa", "pdf.needs_rendering"}),
             "an XFA form with a script and /NeedsRendering");

  TextDocument capture({"Captured web page"});
  capture.catalog_entry(
      "/SpiderInfo << /V 1.0 >> /Names << /URLS << /Names [(http://a.example/) << /S /SPS "
      ">>] >> /IDS << /Names [<00> << /S /SPS >>] >> >>");
  capture.page_entry(0, "/ID <0011223344>");
  writer.add("pdf/forms/web-capture.pdf", capture.build(), sanitized({"pdf.web_capture"}),
             "Web Capture data: /SpiderInfo, /URLS, /IDS and a page /ID");

  TextDocument signed_doc({"Signed document"});
  const int signature = signed_doc.pdf().add(
      "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 10 20 "
      "30] /Contents <3082> /M (D:20240101000000+09'00') >>");
  const int sig_field = signed_doc.annotation(
      0, fmt::format("<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /V {} 0 R /Rect "
                     "[0 0 0 0] /F 132 >>",
                     signature));
  signed_doc.catalog_entry(
      fmt::format("/AcroForm << /Fields [{} 0 R] /SigFlags 3 >> /Perms << /DocMDP {} 0 R >>",
                  sig_field, signature));
  writer.add("pdf/forms/signature.pdf", signed_doc.build(), sanitized({"pdf.signature"}),
             "a signed document with DocMDP permissions");
}

void links_and_streams(corpus::Writer& writer) {
  TextDocument local({"Local links"});
  for (const char* target : {"file:///C:/Windows/System32/calc.exe", "\\\\\\\\10.0.0.1\\\\share",
                             "javascript:alert(1)", "smb://server/share"}) {
    local.annotation(0, fmt::format("<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /A << "
                                    "/S /URI /URI ({}) >> >>",
                                    target));
  }
  local.annotation(0,
                   "<< /Type /Annot /Subtype /Link /Rect [72 600 300 620] /A << /S /URI /URI "
                   "(https://www.example.lg.jp/) >> >>");
  writer.add("pdf/links/unsafe-uri.pdf", local.build(), sanitized({"pdf.unsafe_uri"}),
             "links to file:, a UNC share, javascript: and smb:, beside a web link that stays");

  TextDocument external({"External stream"});
  const int image = external.pdf().add_stream(
      "/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
      "/BitsPerComponent 8 /F (\\\\\\\\server\\\\share\\\\pixel.bin)",
      "\x80");
  external.page_entry(0, fmt::format("/Group << /S /Transparency >> /Thumb {} 0 R", image));
  writer.add("pdf/streams/external-stream.pdf", external.build(),
             sanitized({"pdf.external_stream"}), "a stream whose data comes from a network share");

  TextDocument postscript({"PostScript"});
  const int ps = postscript.pdf().add_stream("/Type /XObject /Subtype /PS", "(hello) print");
  postscript.page_entry(0, fmt::format("/PieceInfo << /X {} 0 R >>", ps));
  writer.add("pdf/streams/postscript.pdf", postscript.build(), sanitized({"pdf.postscript"}),
             "a PostScript XObject");
}

void embedded(corpus::Writer& writer) {
  TextDocument docm({"Attached minutes"});
  const std::string spec = embedded_file_spec(docm.pdf(), "minutes.docm", docm_bytes());
  docm.catalog_entry("/Names << /EmbeddedFiles << /Names [(minutes.docm) " + spec + "] >> >>");
  writer.add("pdf/embedded/docm.pdf", docm.build(), sanitized({"pdf.embedded_file"}),
             "a macro-enabled Word document in the EmbeddedFiles name tree");

  TextDocument eicar({"Invoice"});
  const std::string eicar_spec = embedded_file_spec(eicar.pdf(), "invoice.com", kEicar);
  eicar.annotation(0,
                   "<< /Type /Annot /Subtype /FileAttachment /Rect [72 600 92 620] /Name "
                   "/PushPin /FS " +
                       eicar_spec + " >>");
  writer.add("pdf/embedded/eicar-attachment.pdf", eicar.build(),
             sanitized({"pdf.file_attachment"}, {"pdf_no_eicar"}),
             "the EICAR test file in a file attachment annotation");

  TextDocument associated({"Associated file"});
  const std::string af_spec = embedded_file_spec(associated.pdf(), "data.xml", "<data/>");
  associated.catalog_entry("/AF [" + af_spec + "]");
  writer.add("pdf/embedded/associated-file.pdf", associated.build(),
             sanitized({"pdf.associated_file"}), "an associated file (/AF) on the catalog");
}

void encrypted(corpus::Writer& writer) {
  TextDocument doc({"Encrypted with an owner password only"});
  const std::string plain = doc.build();
  writer.add("pdf/encrypted/owner-only.pdf", pdf::testing::encrypted(plain, "", "owner-secret"),
             sanitized({"pdf.encryption"}, {"pdf_text_equal"}),
             "AES-256 with an empty user password: opens without a password, owner restrictions");
  writer.add("pdf/encrypted/user-password.pdf",
             pdf::testing::encrypted(plain, "user-secret", "owner-secret"), blocked("encrypted"),
             "needs a user password: cannot be inspected");
}

void malformed(corpus::Writer& writer) {
  TextDocument doc({"Damaged"});
  std::string broken = doc.build();
  // Every offset of the cross-reference table off by some bytes.
  broken.insert(broken.find("1 0 obj"), "% padding that moves every object\n");
  writer.add("pdf/malformed/broken-xref.pdf", broken,
             sanitized({"pdf.repaired"}, {"pdf_text_equal"}),
             "cross-reference offsets that point nowhere: qpdf reconstructs");

  const std::string whole = TextDocument({"Truncated"}).build();
  writer.add("pdf/malformed/truncated.pdf", whole.substr(0, whole.find("xref")), blocked("corrupt"),
             "cut before the cross-reference table and the trailer");

  RawPdf loop;
  const int catalog = loop.add("<< /Type /Catalog /Pages 2 0 R >>");
  loop.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  loop.add("<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>");
  writer.add("pdf/malformed/page-tree-loop.pdf", loop.build(catalog), blocked("corrupt"),
             "a page tree whose node is its own grandchild");

  RawPdf deep;
  const int deep_catalog = deep.add("<< /Type /Catalog /Pages 2 0 R >>");
  constexpr int kLevels = 100;
  for (int level = 0; level < kLevels; ++level) {
    const int self = deep.next_number();
    deep.add(fmt::format("<< /Type /Pages /Kids [{} 0 R] /Count 1{} >>", self + 1,
                         level == 0 ? "" : fmt::format(" /Parent {} 0 R", self - 1)));
  }
  deep.add(fmt::format("<< /Type /Page /Parent {} 0 R /MediaBox [0 0 100 100] >>",
                       deep.next_number() - 1));
  writer.add("pdf/malformed/deep-page-tree.pdf", deep.build(deep_catalog), blocked("limit"),
             "a page tree 100 levels deep");

  TextDocument nested({"Nested arrays"});
  nested.catalog_entry("/Deep " + std::string(5000, '[') + std::string(5000, ']'));
  writer.add("pdf/malformed/deep-nesting.pdf", nested.build(), blocked("corrupt"),
             "a catalog holding arrays nested 5,000 deep: qpdf's parser gives up on it");

  TextDocument cycle({"Reference loop"});
  const int a = cycle.pdf().next_number();
  cycle.pdf().add(fmt::format("<< /Next {} 0 R /Name (a) >>", a + 1));
  cycle.pdf().add(fmt::format("<< /Next {} 0 R /Name (b) >>", a));
  cycle.catalog_entry(fmt::format("/PieceInfo << /Loop {} 0 R >>", a));
  writer.add("pdf/malformed/reference-loop.pdf", cycle.build(), benign_case(),
             "two objects that refer to each other");

  TextDocument damaged({"Many broken objects"});
  std::string refs;
  for (int i = 0; i < 80; ++i) {
    refs += fmt::format("{} 0 R ", damaged.pdf().add("<< /Broken (unterminated >>"));
  }
  damaged.catalog_entry("/PieceInfo << /Junk [" + refs + "] >>");
  std::string many = damaged.build();
  many.insert(many.find("1 0 obj"), "%\n");
  writer.add("pdf/malformed/many-warnings.pdf", many, blocked("corrupt"),
             "80 damaged objects and a wrong cross-reference table: more warnings than allowed");
}

void bombs(corpus::Writer& writer) {
  TextDocument zeros({"Bomb"});
  const int big =
      zeros.pdf().add_stream("/Filter /FlateDecode", pdf::testing::flate_zeros(256ull << 20));
  zeros.page_entry(0, fmt::format("/PieceInfo << /Bomb {} 0 R >>", big));
  writer.add("pdf/bomb/flate-256mib.pdf", zeros.build(), blocked("limit"),
             "a Flate stream of 256 MiB of zeros");

  // RunLength turns two bytes into 128; Flate squeezes the repeated pairs a thousandfold.
  std::string runs;
  for (int i = 0; i < (4 << 20); ++i) runs += "\x81";
  std::string pairs;
  pairs.reserve(runs.size() * 2);
  for (const char c : runs) {
    pairs += c;
    pairs += '\0';
  }
  TextDocument chained({"Chained filters"});
  const int chain =
      chained.pdf().add_stream("/Filter [/FlateDecode /RunLengthDecode]", flate(pairs));
  chained.page_entry(0, fmt::format("/PieceInfo << /Bomb {} 0 R >>", chain));
  writer.add("pdf/bomb/runlength-over-flate.pdf", chained.build(), blocked("limit"),
             "RunLength over Flate: 16 KB that decode to 512 MiB");
}

}  // namespace

void generate_pdf_corpus(corpus::Writer& writer) {
  benign(writer);
  javascript(writer);
  actions(writer);
  media_and_forms(writer);
  links_and_streams(writer);
  embedded(writer);
  encrypted(writer);
  malformed(writer);
  bombs(writer);
}

}  // namespace sanitize::formats
