package org.deqnc.kernel;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.KernelTimestamp;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.adapters.HeaderAdapter;
import org.dflib.jjava.jupyter.messages.adapters.HistoryRequestAdapter;
import org.dflib.jjava.jupyter.messages.adapters.KernelTimestampAdapter;
import org.dflib.jjava.jupyter.messages.adapters.MessageTypeAdapter;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Turns one complete multipart ZeroMQ message (every frame up to the last, read before parsing)
 * into a request, or refuses it whole.
 *
 * <p>jjava-jupyter's own reader pulls frames one by one until it has seen a delimiter and five more,
 * so a message with too few frames swallows the frames of the next message (its routing identity
 * included): the next request then goes unanswered, or its reply goes to the sender of the bad one.
 * Reading the whole message first keeps every message separate. A message is refused when it has no
 * {@code <IDS|MSG>} delimiter, fewer than the signature and four JSON frames after it, a wrong
 * signature (compared in constant time), a signature already seen (a replay: the last
 * {@value #REPLAY_HISTORY} are kept, as Jupyter's reference session does), or JSON that does not parse.
 * Safe to share between the shell and control threads.
 */
final class WireMessages {

    static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    static final int REPLAY_HISTORY = 1 << 16;

    private static final Gson GSON = new GsonBuilder()
            .registerTypeAdapter(KernelTimestamp.class, KernelTimestampAdapter.INSTANCE)
            .registerTypeAdapter(Header.class, HeaderAdapter.INSTANCE)
            .registerTypeAdapter(MessageType.class, MessageTypeAdapter.INSTANCE)
            .registerTypeAdapter(HistoryRequest.class, HistoryRequestAdapter.INSTANCE)
            .create();
    private static final Type JSON_OBJECT = new TypeToken<Map<String, Object>>() {
    }.getType();

    /** A message that was refused; the reason is for the kernel's log, never for the sender. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private final HMACGenerator hmac;
    private final LinkedHashSet<String> seenSignatures = new LinkedHashSet<>();

    WireMessages(HMACGenerator hmac) {
        this.hmac = hmac;
    }

    /** Parses the frames of one whole message; throws {@link Refused} if any part of it is wrong. */
    Message<?> parse(List<byte[]> frames) throws Refused {
        int delimiter = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(DELIMITER, frames.get(i))) {
                delimiter = i;
                break;
            }
        }
        if (delimiter < 0) {
            throw new Refused("no <IDS|MSG> delimiter in " + frames.size() + " frame(s)");
        }
        if (frames.size() - delimiter - 1 < 5) {
            throw new Refused("only " + (frames.size() - delimiter - 1) + " frame(s) after the delimiter, need 5");
        }
        List<byte[]> identities = new ArrayList<>(frames.subList(0, delimiter));
        String signature = new String(frames.get(delimiter + 1), StandardCharsets.US_ASCII);
        byte[] header = frames.get(delimiter + 2);
        byte[] parent = frames.get(delimiter + 3);
        byte[] metadata = frames.get(delimiter + 4);
        byte[] content = frames.get(delimiter + 5);
        List<byte[]> buffers = new ArrayList<>(frames.subList(delimiter + 6, frames.size()));

        String expected = hmac.calculateSignature(header, parent, metadata, content);
        if (expected != null) {
            if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    signature.getBytes(StandardCharsets.US_ASCII))) {
                throw new Refused("wrong signature");
            }
            if (!remember(signature)) {
                throw new Refused("replayed signature");
            }
        }
        try {
            Header<?> h = GSON.fromJson(utf8(header), Header.class);
            if (h == null || h.getType() == null || h.getId() == null) {
                throw new Refused("header without msg_id or msg_type");
            }
            Header<?> parentHeader = null;
            JsonElement p = JsonParser.parseString(utf8(parent));
            if (p.isJsonObject() && !p.getAsJsonObject().isEmpty()) {
                parentHeader = GSON.fromJson(p, Header.class);
            }
            Map<String, Object> meta = GSON.fromJson(utf8(metadata), JSON_OBJECT);
            Object body = GSON.fromJson(utf8(content), h.getType().getContentType());
            if (body == null) {
                throw new Refused("empty content");
            }
            @SuppressWarnings({"unchecked", "rawtypes"})
            Message<?> message = new Message(identities, h, parentHeader, meta, body, buffers);
            return message;
        } catch (RuntimeException e) {
            throw new Refused("unreadable JSON: " + e.getClass().getSimpleName());
        }
    }

    /** Adds the signature to the bounded history; false if it was already there. */
    private synchronized boolean remember(String signature) {
        if (!seenSignatures.add(signature)) {
            return false;
        }
        if (seenSignatures.size() > REPLAY_HISTORY) {
            var oldest = seenSignatures.iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
