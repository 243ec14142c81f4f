package org.deqnc.provenance;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OriginTest {

    private enum Tau { EMPIRICAL }

    // A value with every character class a parameter may hold: quotes, backslash, markup, non-ASCII, an emoji.
    private static final String TRICKY = "a \"quoted\" \\path\\ <b>&amp;</b> = 'x' Ł 😀\nnext line";

    @AfterEach
    void forget() {
        Origin.clearCapture();
    }

    private static JsonObject expected() {
        JsonObject p = new JsonObject();
        p.addProperty("K", 10);
        p.addProperty("gamma", 0.5);
        p.addProperty("label", TRICKY);
        com.google.gson.JsonArray seeds = new com.google.gson.JsonArray();
        seeds.add(1L);
        seeds.add(2L);
        p.add("seeds", seeds);
        p.addProperty("tau", "EMPIRICAL");
        p.addProperty("full", false);
        JsonObject o = new JsonObject();
        o.addProperty("notebook", "10-théorie.ipynb");
        o.add("parameters", p);
        return o;
    }

    private static void captureExample() {
        Origin.capture("10-théorie.ipynb", "K", 10, "gamma", 0.5, "label", TRICKY, "seeds", new long[] {1, 2},
                "tau", Tau.EMPIRICAL, "full", false);
    }

    private static BufferedImage image() {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, 0x336699);
        return img;
    }

    private static byte[] png(BufferedImage img) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** The tEXt chunks as ImageIO's own PNG reader sees them (keyword -> value). */
    private static Map<String, String> textChunks(byte[] png) throws Exception {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
            reader.setInput(in);
            IIOMetadata meta = reader.getImageMetadata(0);
            org.w3c.dom.Node root = meta.getAsTree("javax_imageio_png_1.0");
            Map<String, String> found = new java.util.HashMap<>();
            for (org.w3c.dom.Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n.getNodeName().equals("tEXt")) {
                    NodeList entries = n.getChildNodes();
                    for (int i = 0; i < entries.getLength(); i++) {
                        Element e = (Element) entries.item(i);
                        found.put(e.getAttribute("keyword"), e.getAttribute("value"));
                    }
                }
            }
            return found;
        }
    }

    @Test
    void captureReturnsTheParametersAsJsonInOrder() {
        String json = Origin.capture("n.ipynb", "b", 2, "a", List.of("x", "y"), "c", Double.NaN);
        assertEquals(List.of("b", "a", "c"), List.copyOf(JsonParser.parseString(json).getAsJsonObject().keySet()));
        assertTrue(json.contains("NaN"), json);
        assertThrows(IllegalArgumentException.class, () -> Origin.capture("n.ipynb", "odd"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Origin.capture("n.ipynb", 1, 2));
        assertTrue(e.getMessage().startsWith("namesAndValues:"), e.getMessage());
    }

    @Test
    void pngCarriesTheRecordInATextChunkAndStillDecodes() throws Exception {
        BufferedImage img = image();
        byte[] plain = png(img);
        assertArrayEquals(plain, Origin.png(plain), "no origin outside a run: bytes unchanged");
        captureExample();
        byte[] stamped = Origin.png(plain);
        String text = textChunks(stamped).get(Origin.PNG_KEYWORD);
        assertEquals(expected(), JsonParser.parseString(text));
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(stamped));
        assertEquals(0x336699, back.getRGB(1, 1) & 0xffffff, "the image survives the inserted chunk");
        assertThrows(IllegalArgumentException.class, () -> Origin.png("not a png at all, not at all".getBytes()));
    }

    @Test
    void svgCarriesTheRecordInMetadataAndStaysWellFormed() throws Exception {
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\" height=\"2\">\n<rect/></svg>\n";
        assertEquals(svg, Origin.svg(svg));
        captureExample();
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(Origin.svg(svg).getBytes(StandardCharsets.UTF_8)));
        NodeList meta = doc.getElementsByTagName("metadata");
        assertEquals(1, meta.getLength());
        assertEquals(expected(), JsonParser.parseString(meta.item(0).getTextContent()));
        assertEquals(1, doc.getElementsByTagName("rect").getLength());
    }

    @Test
    void htmlCarriesTheRecordInAJsonScriptInTheHead() {
        String html = "<!DOCTYPE html>\n<html><head><title>t</title>\n</head><body></body></html>\n";
        captureExample();
        String stamped = Origin.html(html);
        String open = "<script type=\"application/json\" id=\"deqnc-provenance\">";
        int start = stamped.indexOf(open) + open.length();
        assertTrue(start > open.length() && start < stamped.indexOf("</head>"), stamped);
        String body = stamped.substring(start, stamped.indexOf("</script>", start));
        assertFalse(body.contains("<"), "markup in a value is escaped, so it cannot close the script: " + body);
        assertEquals(expected(), JsonParser.parseString(body));
        assertThrows(IllegalArgumentException.class, () -> Origin.html("<p>no head</p>"));
    }

    @Test
    void sidecarBesideTheFileOnlyInARun(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("t.csv"), "a,b\n1,2\n");
        assertTrue(Origin.sidecar(csv).isEmpty());
        assertFalse(Files.exists(dir.resolve("t.csv.provenance.json")));
        captureExample();
        Path side = Origin.sidecar(csv).orElseThrow();
        assertEquals(dir.resolve("t.csv.provenance.json"), side);
        String text = Files.readString(side, StandardCharsets.UTF_8);
        assertTrue(text.chars().allMatch(c -> c < 0x80), "ASCII only: " + text);
        assertEquals(expected(), JsonParser.parseString(text));
    }

    @Test
    void environmentGivesTheOriginBeforeACapture() {
        assertTrue(Origin.fromEnvironment(Map.of()).isEmpty());
        Origin o = Origin.fromEnvironment(Map.of(Origin.NOTEBOOK_ENV, "a.ipynb", Origin.PARAMETERS_ENV, "{\"K\": 3}")).orElseThrow();
        assertEquals("a.ipynb", o.notebook());
        assertEquals(3, o.parameters().get("K").getAsInt());
        assertEquals("{}", Origin.fromEnvironment(Map.of(Origin.NOTEBOOK_ENV, "a.ipynb")).orElseThrow().parameters().toString());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Origin.fromEnvironment(Map.of(Origin.NOTEBOOK_ENV, "a.ipynb", Origin.PARAMETERS_ENV, "[1]")));
        assertTrue(e.getMessage().startsWith("DEQNC_PARAMETERS: must be a JSON object"), e.getMessage());
    }
}
