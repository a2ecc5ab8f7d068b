package floor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Start floor A2: answers every invocation with its own bytes — unless FLOOR_BODIES named a file of the
 * product's Ramen requests, when each invocation posts the next batch of them (the per-event floor,
 * {@link PerEventFloor}).
 */
@Named("echo")
public class EchoHandler implements RequestStreamHandler {

    @Inject
    PerEventFloor perEvent;

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        output.write(perEvent.loaded() ? perEvent.postNextBatch() : event);
    }
}
