package dev.vod.internal.rtp;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.w3c.dom.Node;

/** Real JPEGs made with the JDK's encoder, which codes with the standard Huffman tables unless told to optimise. */
final class JpegImages {
    private static final String NATIVE_FORMAT = "javax_imageio_jpeg_image_1.0";

    private JpegImages() {
    }

    /** How to encode: luma sampling factors, restart interval (0 for none), progressive, optimised tables. */
    record Options(int lumaH, int lumaV, int restartInterval, boolean progressive, boolean optimiseHuffman) {
        static Options yuv420() {
            return new Options(2, 2, 0, false, false);
        }

        Options sampling(int h, int v) {
            return new Options(h, v, restartInterval, progressive, optimiseHuffman);
        }

        Options restartEvery(int mcus) {
            return new Options(lumaH, lumaV, mcus, progressive, optimiseHuffman);
        }

        Options inProgressiveMode() {
            return new Options(lumaH, lumaV, restartInterval, true, optimiseHuffman);
        }

        Options optimised() {
            return new Options(lumaH, lumaV, restartInterval, progressive, true);
        }
    }

    /** A picture with gradients, edges and text, so it compresses to several packets and shows misplaced blocks. */
    static BufferedImage picture(int width, int height, int imageType) {
        BufferedImage image = new BufferedImage(width, height, imageType);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(20, 60, 200), width, height, new Color(240, 200, 30)));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(200, 30, 40));
        g.fillOval(width / 6, height / 5, width / 3, height / 2);
        g.setColor(Color.WHITE);
        for (int y = 10; y < height; y += 18) {
            g.drawString("vod rtp jpeg " + y, 5 + y % 40, y);
        }
        g.dispose();
        return image;
    }

    static byte[] encode(BufferedImage image, Options options) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(stream);
            JPEGImageWriteParam param = new JPEGImageWriteParam(null);
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.85f);
            param.setOptimizeHuffmanTables(options.optimiseHuffman());
            if (options.progressive()) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), param);
            if (image.getColorModel().getNumComponents() == 3) {
                adjust(metadata, options);
            }
            writer.write(null, new IIOImage(image, null, metadata), param);
            stream.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /** Sets the luma sampling factors and adds a DRI through the JDK's native JPEG metadata tree. */
    private static void adjust(IIOMetadata metadata, Options options) throws IOException {
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(NATIVE_FORMAT);
        IIOMetadataNode markers = (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
        IIOMetadataNode luma = (IIOMetadataNode) root.getElementsByTagName("componentSpec").item(0);
        luma.setAttribute("HsamplingFactor", Integer.toString(options.lumaH()));
        luma.setAttribute("VsamplingFactor", Integer.toString(options.lumaV()));
        if (options.restartInterval() > 0) {
            IIOMetadataNode dri = new IIOMetadataNode("dri");
            dri.setAttribute("interval", Integer.toString(options.restartInterval()));
            Node sof = root.getElementsByTagName("sof").item(0);
            markers.insertBefore(dri, sof);
        }
        metadata.setFromTree(NATIVE_FORMAT, root);
    }

    static BufferedImage decode(byte[] jpeg) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
            if (image == null) {
                throw new AssertionError("ImageIO could not read the JPEG");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mean absolute difference per colour channel over the area both images cover. */
    static double meanAbsoluteDifference(BufferedImage a, BufferedImage b, int width, int height) {
        long sum = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff));
                }
            }
        }
        return sum / (3.0 * width * height);
    }
}
