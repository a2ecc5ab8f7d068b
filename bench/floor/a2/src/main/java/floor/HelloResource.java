package floor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** The one trivial resource: makes quarkus-rest build its router, as the product's resources do. */
@Path("/hello")
public class HelloResource {

    public record Greeting(String text) {
    }

    @GET
    public Greeting hello() {
        return new Greeting("hello");
    }
}
